import { placeholders, type Db, type Queryable, type SqlValue } from '../storage/db.js';
import { isUniqueViolation } from '../storage/sql-errors.js';
import { AlreadyExists, InvalidState } from '../core/errors.js';
import { MODEL_ORDER_KEYS, type Approval, type ModelCard, type ModelVersion, type PolicyRecord, type Stage, type StageChange } from './domain.js';
import type { ModelQuery, NewModel, NewVersion, RegistryStore, StageMove, StoredModel, VersionQuery } from './registry-store.js';
import { groupKeyValues as groupByOwner, type KeyValueRow as OwnedKeyValue } from '../tracking/sql-rows.js';
import {
  toCard, toChange, toDecision, toModel, toPolicy, toVersion,
  type CardRow, type ChangeRow, type DecisionRow, type ModelRow, type PolicyRow, type VersionRow,
} from './registry-sql-rows.js';

const MODEL_SELECT = `SELECT m.id, m.name, m.description, m.created_at, m.updated_at,
  (SELECT MAX(p.version) FROM model_policies p WHERE p.model_id = m.id) AS policy_version
  FROM registered_models m`;
const VERSION_SELECT = `SELECT v.*, m.name FROM model_versions v JOIN registered_models m ON m.id = v.model_id`;

/** Tables holding one row set per version, deleted with it (children before parents). */
const VERSION_CHILDREN = ['model_version_tags', 'model_aliases', 'model_approvals', 'model_cards', 'stage_changes'] as const;

/** The registry store over the dialect layer: one implementation for SQLite and PostgreSQL. */
export class SqlRegistryStore implements RegistryStore {
  constructor(private readonly db: Db) {}

  async insertModel(m: NewModel): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        await tx.run('INSERT INTO registered_models (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
          [m.id, m.name, m.description, m.now, m.now]);
        await tx.runMany('INSERT INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?)',
          Object.entries(m.tags).map(([k, v]) => [m.id, k, v]));
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExists(`registered model '${m.name}' already exists; choose another name or register a new version of it`);
      throw err;
    }
  }

  private async hydrateModels(rows: readonly ModelRow[]): Promise<StoredModel[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const inIds = `IN ${placeholders(ids.length)}`;
    const tags = groupByOwner(await this.db.all<OwnedKeyValue>(
      `SELECT model_id AS owner, key, value FROM registered_model_tags WHERE model_id ${inIds}`, ids));
    const aliasRows = await this.db.all<{ owner: string; alias: string; version: number }>(
      `SELECT model_id AS owner, alias, version FROM model_aliases WHERE model_id ${inIds} ORDER BY alias`, ids);
    const aliases = new Map<string, Record<string, number>>();
    for (const a of aliasRows) (aliases.get(a.owner) ?? aliases.set(a.owner, {}).get(a.owner)!)[a.alias] = Number(a.version);
    return rows.map((r) => toModel(r, tags.get(r.id) ?? {}, aliases.get(r.id) ?? {}));
  }

  async getModel(name: string): Promise<StoredModel | undefined> {
    const row = await this.db.get<ModelRow>(`${MODEL_SELECT} WHERE m.name = ?`, [name]);
    return row ? (await this.hydrateModels([row]))[0] : undefined;
  }

  async searchModels(q: ModelQuery): Promise<StoredModel[]> {
    const params: SqlValue[] = [];
    const conds: string[] = [];
    if (q.nameLike !== null) {
      conds.push(q.caseSensitive ? this.db.dialect.like('m.name', '?') : this.db.dialect.ilike('m.name', '?'));
      params.push(q.nameLike);
    }
    for (const t of q.tags) {
      conds.push(`${t.negated ? 'NOT ' : ''}EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.model_id = m.id AND t.key = ? AND t.value = ?)`);
      params.push(t.key, t.value);
    }
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const order = [...q.orderBy.map((o) => `m.${MODEL_ORDER_KEYS[o.key]} ${o.desc ? 'DESC' : 'ASC'}`), 'm.name ASC'].join(', ');
    const rows = await this.db.all<ModelRow>(`${MODEL_SELECT} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, q.limit, q.offset]);
    return this.hydrateModels(rows);
  }

  async updateModel(id: string, patch: { name?: string; description?: string | null }, now: number): Promise<void> {
    const sets = ['updated_at = ?'];
    const params: SqlValue[] = [now];
    if (patch.name !== undefined) { sets.push('name = ?'); params.push(patch.name); }
    if (patch.description !== undefined) { sets.push('description = ?'); params.push(patch.description); }
    try {
      await this.db.run(`UPDATE registered_models SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExists(`registered model '${patch.name}' already exists; choose another name`);
      throw err;
    }
  }

  async deleteModel(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const t of [...VERSION_CHILDREN, 'model_versions', 'model_policies', 'registered_model_tags']) {
        await tx.run(`DELETE FROM ${t} WHERE model_id = ?`, [id]);
      }
      await tx.run('DELETE FROM registered_models WHERE id = ?', [id]);
    });
  }

  private touch(tx: Queryable, id: string, now: number) {
    return tx.run('UPDATE registered_models SET updated_at = ? WHERE id = ?', [now, id]);
  }

  async setModelTag(id: string, key: string, value: string, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`INSERT INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?)
        ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value`, [id, key, value]);
      await this.touch(tx, id, now);
    });
  }

  async deleteModelTag(id: string, key: string, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?', [id, key]);
      await this.touch(tx, id, now);
    });
  }

  async setAlias(id: string, alias: string, version: number, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`INSERT INTO model_aliases (model_id, alias, version) VALUES (?, ?, ?)
        ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version`, [id, alias, version]);
      await this.touch(tx, id, now);
    });
  }

  async deleteAlias(id: string, alias: string, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM model_aliases WHERE model_id = ? AND alias = ?', [id, alias]);
      await this.touch(tx, id, now);
    });
  }

  async insertVersion(v: NewVersion): Promise<number> {
    return this.db.transaction(async (tx) => {
      // Incrementing first takes the row lock, so concurrent registrations queue here.
      await tx.run('UPDATE registered_models SET next_version = next_version + 1, updated_at = ? WHERE id = ?', [v.now, v.modelId]);
      const row = await tx.get<{ n: number }>('SELECT next_version - 1 AS n FROM registered_models WHERE id = ?', [v.modelId]);
      const version = Number(row?.n);
      await tx.run(
        `INSERT INTO model_versions (model_id, version, stage, source, run_id, description, artifact_format, artifact_flavor,
           signature, metrics, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [v.modelId, version, v.stage, v.source, v.runId, v.description, v.artifact.format, v.artifact.flavor,
          v.signature === null ? null : JSON.stringify(v.signature), JSON.stringify(v.metrics), v.author, v.now, v.now]);
      await tx.runMany('INSERT INTO model_version_tags (model_id, version, key, value) VALUES (?, ?, ?, ?)',
        Object.entries(v.tags).map(([k, val]) => [v.modelId, version, k, val]));
      return version;
    });
  }

  private async hydrateVersions(rows: readonly VersionRow[]): Promise<ModelVersion[]> {
    if (rows.length === 0) return [];
    const owner = (r: { model_id: string; version: number }) => `${r.model_id}/${Number(r.version)}`;
    const modelIds = [...new Set(rows.map((r) => r.model_id))];
    const inIds = `IN ${placeholders(modelIds.length)}`;
    const tags = groupByOwner((await this.db.all<{ model_id: string; version: number; key: string; value: string }>(
      `SELECT model_id, version, key, value FROM model_version_tags WHERE model_id ${inIds}`, modelIds))
      .map((t) => ({ owner: owner(t), key: t.key, value: t.value })));
    const aliases = new Map<string, string[]>();
    for (const a of await this.db.all<{ model_id: string; version: number; alias: string }>(
      `SELECT model_id, version, alias FROM model_aliases WHERE model_id ${inIds} ORDER BY alias`, modelIds)) {
      (aliases.get(owner(a)) ?? aliases.set(owner(a), []).get(owner(a))!).push(a.alias);
    }
    return rows.map((r) => toVersion(r, tags.get(owner(r)) ?? {}, aliases.get(owner(r)) ?? []));
  }

  async getVersion(modelId: string, version: number): Promise<ModelVersion | undefined> {
    const row = await this.db.get<VersionRow>(`${VERSION_SELECT} WHERE v.model_id = ? AND v.version = ?`, [modelId, version]);
    return row ? (await this.hydrateVersions([row]))[0] : undefined;
  }

  async searchVersions(q: VersionQuery): Promise<ModelVersion[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.name !== null) { where.push('m.name = ?'); params.push(q.name); }
    if (q.runId !== null) { where.push('v.run_id = ?'); params.push(q.runId); }
    const rows = await this.db.all<VersionRow>(
      `${VERSION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.name ASC, v.version DESC LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset]);
    return this.hydrateVersions(rows);
  }

  async versionsInStages(modelId: string, stages: readonly Stage[]): Promise<ModelVersion[]> {
    if (stages.length === 0) return [];
    const rows = await this.db.all<VersionRow>(
      `${VERSION_SELECT} WHERE v.model_id = ? AND v.stage IN ${placeholders(stages.length)} ORDER BY v.version DESC`, [modelId, ...stages]);
    return this.hydrateVersions(rows);
  }

  async updateVersion(modelId: string, version: number, patch: { description?: string | null }, now: number): Promise<void> {
    if (patch.description === undefined) return;
    await this.db.run('UPDATE model_versions SET description = ?, updated_at = ? WHERE model_id = ? AND version = ?',
      [patch.description, now, modelId, version]);
  }

  async deleteVersion(modelId: string, version: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const t of [...VERSION_CHILDREN, 'model_versions']) {
        await tx.run(`DELETE FROM ${t} WHERE model_id = ? AND version = ?`, [modelId, version]);
      }
    });
  }

  async setVersionTag(modelId: string, version: number, key: string, value: string, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`INSERT INTO model_version_tags (model_id, version, key, value) VALUES (?, ?, ?, ?)
        ON CONFLICT (model_id, version, key) DO UPDATE SET value = excluded.value`, [modelId, version, key, value]);
      await tx.run('UPDATE model_versions SET updated_at = ? WHERE model_id = ? AND version = ?', [now, modelId, version]);
    });
  }

  async deleteVersionTag(modelId: string, version: number, key: string, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM model_version_tags WHERE model_id = ? AND version = ? AND key = ?', [modelId, version, key]);
      await tx.run('UPDATE model_versions SET updated_at = ? WHERE model_id = ? AND version = ?', [now, modelId, version]);
    });
  }

  async applyStageChanges(modelId: string, moves: readonly StageMove[]): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        for (const m of moves) {
          const { changes } = await tx.run('UPDATE model_versions SET stage = ?, updated_at = ? WHERE model_id = ? AND version = ? AND stage = ?',
            [m.to, m.at, modelId, m.version, m.from]);
          if (changes !== 1) throw new InvalidState(`version ${m.version} is no longer in ${m.from}; someone moved it meanwhile, check again and retry`);
          await tx.run(`INSERT INTO stage_changes (model_id, version, from_stage, to_stage, kind, actor, reason, override, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [modelId, m.version, m.from, m.to, m.kind, m.actor, m.reason, m.override ? 1 : 0, m.at]);
        }
        if (moves[0]) await this.touch(tx, modelId, moves[0].at);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new InvalidState('another version entered production meanwhile; check again and retry');
      throw err;
    }
  }

  async listStageChanges(modelId: string, version: number | null): Promise<StageChange[]> {
    const rows = await this.db.all<ChangeRow>(
      `SELECT * FROM stage_changes WHERE model_id = ? ${version === null ? '' : 'AND version = ?'} ORDER BY id ASC`,
      version === null ? [modelId] : [modelId, version]);
    return rows.map(toChange);
  }

  async putDecision(modelId: string, a: Approval): Promise<void> {
    await this.db.run(`INSERT INTO model_approvals (model_id, version, to_stage, actor, decision, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (model_id, version, to_stage, actor) DO UPDATE SET decision = excluded.decision, comment = excluded.comment, at = excluded.at`,
    [modelId, a.version, a.to, a.actor, a.decision, a.comment, a.at]);
  }

  async listDecisions(modelId: string, version: number, to: Stage | null): Promise<Approval[]> {
    const rows = await this.db.all<DecisionRow>(
      `SELECT * FROM model_approvals WHERE model_id = ? AND version = ? ${to === null ? '' : 'AND to_stage = ?'} ORDER BY at ASC, actor ASC`,
      to === null ? [modelId, version] : [modelId, version, to]);
    return rows.map(toDecision);
  }

  async putCard(modelId: string, c: ModelCard): Promise<void> {
    await this.db.run(`INSERT INTO model_cards (model_id, version, markdown, intended_use, limitations, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (model_id, version) DO UPDATE SET markdown = excluded.markdown, intended_use = excluded.intended_use,
        limitations = excluded.limitations, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [modelId, c.version, c.markdown, c.intendedUse, c.limitations, c.updatedBy, c.updatedAt]);
  }

  async getCard(modelId: string, version: number): Promise<ModelCard | undefined> {
    const row = await this.db.get<CardRow>('SELECT * FROM model_cards WHERE model_id = ? AND version = ?', [modelId, version]);
    return row ? toCard(row) : undefined;
  }

  async insertPolicy(modelId: string, text: string, createdBy: string, now: number): Promise<number> {
    try {
      return await this.db.transaction(async (tx) => {
        // Touching the model first serialises concurrent writers of its policy.
        await this.touch(tx, modelId, now);
        const row = await tx.get<{ n: number | null }>('SELECT MAX(version) AS n FROM model_policies WHERE model_id = ?', [modelId]);
        const version = Number(row?.n ?? 0) + 1;
        await tx.run('INSERT INTO model_policies (model_id, version, text, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
          [modelId, version, text, createdBy, now]);
        return version;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new InvalidState('another policy was stored at the same moment; retry');
      throw err;
    }
  }

  async getPolicy(modelId: string, version: number | null): Promise<PolicyRecord | undefined> {
    const row = version === null
      ? await this.db.get<PolicyRow>('SELECT * FROM model_policies WHERE model_id = ? ORDER BY version DESC LIMIT 1', [modelId])
      : await this.db.get<PolicyRow>('SELECT * FROM model_policies WHERE model_id = ? AND version = ?', [modelId, version]);
    return row ? toPolicy(row) : undefined;
  }

  async listPolicies(modelId: string): Promise<PolicyRecord[]> {
    return (await this.db.all<PolicyRow>('SELECT * FROM model_policies WHERE model_id = ? ORDER BY version ASC', [modelId])).map(toPolicy);
  }
}
