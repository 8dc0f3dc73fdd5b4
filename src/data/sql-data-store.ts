/** The data slice's one SQL implementation, over the dialect layer. */
import type { Db, Queryable } from '../storage/db.js';
import { isUniqueViolation } from '../storage/sql-errors.js';
import type { DatasetReport, ReportKind } from './dataset-reports.js';
import type { Dataset, DatasetVersion } from './domain.js';
import type { DataStore, NewVersion } from './data-store.js';

interface DatasetRow {
  name: string; description: string | null; latest_version: number; created_by: string; created_at: number; updated_at: number;
}
interface VersionRow {
  dataset: string; version: number; manifest_digest: string; file_count: number; total_size: number;
  message: string | null; created_by: string; created_at: number;
}
interface TagRow { dataset: string; tag: string; version: number }

const VERSION_COLS = 'dataset, version, manifest_digest, file_count, total_size, message, created_by, created_at';

/** Thrown inside a transaction to roll it back when the manifest equals the latest version's. */
class Unchanged {
  constructor(readonly version: number) {}
}

export class SqlDataStore implements DataStore {
  constructor(private readonly db: Db) {}

  async createDataset(name: string, description: string | null, createdBy: string, now: number): Promise<Dataset | null> {
    try {
      await this.db.run(
        'INSERT INTO data_sets (name, description, latest_version, created_by, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?)',
        [name, description, createdBy, now, now]);
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
    return this.getDataset(name);
  }

  async getDataset(name: string): Promise<Dataset | null> {
    const row = await this.db.get<DatasetRow>('SELECT * FROM data_sets WHERE name = ?', [name]);
    if (!row) return null;
    const tags = await this.db.all<TagRow>('SELECT dataset, tag, version FROM data_tags WHERE dataset = ? ORDER BY tag', [name]);
    return toDataset(row, tags);
  }

  async listDatasets(): Promise<Dataset[]> {
    const rows = await this.db.all<DatasetRow>('SELECT * FROM data_sets ORDER BY name');
    const tags = await this.db.all<TagRow>('SELECT dataset, tag, version FROM data_tags ORDER BY dataset, tag');
    return rows.map((r) => toDataset(r, tags.filter((t) => t.dataset === r.name)));
  }

  async addVersion(name: string, v: NewVersion, now: number): Promise<{ version: DatasetVersion; created: boolean } | null> {
    try {
      const n = await this.db.transaction(async (tx) => {
        // The update takes the dataset row's lock first, so concurrent adds queue here.
        const { changes } = await tx.run('UPDATE data_sets SET latest_version = latest_version + 1, updated_at = ? WHERE name = ?', [now, name]);
        if (changes === 0) return null;
        const row = await tx.get<{ latest_version: number }>('SELECT latest_version FROM data_sets WHERE name = ?', [name]);
        const next = Number(row!.latest_version);
        if (next > 1) {
          const prev = await tx.get<{ manifest_digest: string }>(
            'SELECT manifest_digest FROM data_versions WHERE dataset = ? AND version = ?', [name, next - 1]);
          if (prev?.manifest_digest === v.manifestDigest) throw new Unchanged(next - 1);
        }
        await tx.run(`INSERT INTO data_versions (${VERSION_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [name, next, v.manifestDigest, v.fileCount, v.totalSize, v.message, v.createdBy, now]);
        return next;
      });
      if (n === null) return null;
      return { version: (await this.getVersion(name, n))!, created: true };
    } catch (e) {
      if (e instanceof Unchanged) return { version: (await this.getVersion(name, e.version))!, created: false };
      throw e;
    }
  }

  async getVersion(name: string, version: number): Promise<DatasetVersion | null> {
    const row = await this.db.get<VersionRow>(`SELECT ${VERSION_COLS} FROM data_versions WHERE dataset = ? AND version = ?`, [name, version]);
    if (!row) return null;
    const tags = await this.db.all<TagRow>('SELECT dataset, tag, version FROM data_tags WHERE dataset = ? AND version = ? ORDER BY tag', [name, version]);
    return toVersion(row, tags);
  }

  async listVersions(name: string): Promise<DatasetVersion[]> {
    const rows = await this.db.all<VersionRow>(`SELECT ${VERSION_COLS} FROM data_versions WHERE dataset = ? ORDER BY version`, [name]);
    const tags = await this.db.all<TagRow>('SELECT dataset, tag, version FROM data_tags WHERE dataset = ? ORDER BY tag', [name]);
    return rows.map((r) => toVersion(r, tags.filter((t) => Number(t.version) === Number(r.version))));
  }

  async setTag(name: string, tag: string, version: number, now: number): Promise<number | null> {
    return this.db.transaction(async (tx: Queryable) => {
      const prev = await tx.get<{ version: number }>('SELECT version FROM data_tags WHERE dataset = ? AND tag = ?', [name, tag]);
      if (prev) await tx.run('UPDATE data_tags SET version = ?, updated_at = ? WHERE dataset = ? AND tag = ?', [version, now, name, tag]);
      else await tx.run('INSERT INTO data_tags (dataset, tag, version, updated_at) VALUES (?, ?, ?, ?)', [name, tag, version, now]);
      return prev ? Number(prev.version) : null;
    });
  }

  async putReport(r: DatasetReport): Promise<void> {
    const passed = r.passed === null ? null : r.passed ? 1 : 0;
    const version = Number(r.version);
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM data_reports WHERE dataset = ? AND version = ? AND kind = ?', [r.dataset, version, r.kind]);
      await tx.run('INSERT INTO data_reports (dataset, version, kind, passed, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [r.dataset, version, r.kind, passed, JSON.stringify(r.body ?? null), r.createdAt]);
    });
  }

  async getReport(name: string, version: number, kind: ReportKind): Promise<DatasetReport | null> {
    const row = await this.db.get<{ passed: number | null; body: string; created_at: number }>(
      'SELECT passed, body, created_at FROM data_reports WHERE dataset = ? AND version = ? AND kind = ?', [name, version, kind]);
    if (!row) return null;
    return {
      dataset: name, version: String(version), kind,
      passed: row.passed === null ? null : Number(row.passed) === 1,
      body: JSON.parse(row.body) as unknown, createdAt: Number(row.created_at),
    };
  }

  async validatedVersions(name: string): Promise<number[]> {
    const rows = await this.db.all<{ version: number }>(
      "SELECT version FROM data_reports WHERE dataset = ? AND kind = 'validation' AND passed = 1 ORDER BY version DESC", [name]);
    return rows.map((r) => Number(r.version));
  }
}

function toDataset(r: DatasetRow, tags: readonly TagRow[]): Dataset {
  return {
    name: r.name, description: r.description, latestVersion: Number(r.latest_version),
    tags: Object.fromEntries(tags.map((t) => [t.tag, Number(t.version)])),
    createdBy: r.created_by, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

function toVersion(r: VersionRow, tags: readonly TagRow[]): DatasetVersion {
  return {
    dataset: r.dataset, version: Number(r.version), manifestDigest: r.manifest_digest,
    fileCount: Number(r.file_count), totalSize: Number(r.total_size), message: r.message,
    tags: tags.map((t) => t.tag), createdBy: r.created_by, createdAt: Number(r.created_at),
  };
}
