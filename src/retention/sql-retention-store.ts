import type { Db } from '../storage/db.js';
import type { PurgeableRun, RetentionStore } from './retention-store.js';

const IN_CHUNK = 500;
/** A run whose artifacts gc may purge: deleted long enough, and no model version names it. */
const PURGEABLE = `r.lifecycle = 'deleted' AND r.deleted_at <= ? AND NOT EXISTS (SELECT 1 FROM model_versions v WHERE v.run_id = r.id)`;

export class SqlRetentionStore implements RetentionStore {
  constructor(private readonly db: Db) {}

  async registeredRunIds(runIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < runIds.length; i += IN_CHUNK) {
      const chunk = runIds.slice(i, i + IN_CHUNK);
      const rows = await this.db.all<{ run_id: string }>(
        `SELECT DISTINCT run_id FROM model_versions WHERE run_id IN (${chunk.map(() => '?').join(', ')})`, chunk);
      for (const r of rows) out.add(r.run_id);
    }
    return out;
  }

  async purgeableRuns(deletedBefore: number): Promise<PurgeableRun[]> {
    const rows = await this.db.all<{ run_id: string; n: number }>(
      `SELECT r.id AS run_id, COUNT(*) AS n FROM runs r JOIN artifacts a ON a.run_id = r.id WHERE ${PURGEABLE} GROUP BY r.id ORDER BY r.id`,
      [deletedBefore]);
    return rows.map((r) => ({ runId: r.run_id, artifacts: Number(r.n) }));
  }

  async referencedDigests(deletedBefore: number): Promise<{ digests: Set<string>; manifests: string[] }> {
    const rows = await this.db.all<{ digest: string }>(
      `SELECT a.digest FROM artifacts a JOIN runs r ON r.id = a.run_id WHERE NOT (${PURGEABLE})
       UNION SELECT digest FROM logged_model_artifacts
       UNION SELECT digest FROM multipart_parts`, [deletedBefore]);
    const manifests = (await this.db.all<{ manifest_digest: string }>('SELECT DISTINCT manifest_digest FROM data_versions'))
      .map((r) => r.manifest_digest);
    return { digests: new Set([...rows.map((r) => r.digest), ...manifests]), manifests };
  }

  async runArtifactDigests(runId: string): Promise<string[]> {
    return (await this.db.all<{ digest: string }>('SELECT digest FROM artifacts WHERE run_id = ?', [runId])).map((r) => r.digest);
  }

  async purgeRunArtifacts(runId: string, deletedBefore: number): Promise<number | null> {
    // One statement, so a restore or a registration cannot slip between the check and the delete.
    const { changes } = await this.db.run(
      `DELETE FROM artifacts WHERE run_id = ? AND EXISTS (SELECT 1 FROM runs r WHERE r.id = ? AND ${PURGEABLE})`, [runId, runId, deletedBefore]);
    return changes > 0 ? changes : null;
  }

  async abandonedUploads(createdBefore: number): Promise<{ id: string; target: string; createdAt: number; parts: number }[]> {
    const rows = await this.db.all<{ id: string; target: string; created_at: number; parts: number }>(
      `SELECT u.id, u.target, u.created_at, (SELECT COUNT(*) FROM multipart_parts p WHERE p.upload_id = u.id) AS parts
       FROM multipart_uploads u WHERE u.created_at <= ? ORDER BY u.created_at, u.id`, [createdBefore]);
    return rows.map((r) => ({ id: r.id, target: r.target, createdAt: Number(r.created_at), parts: Number(r.parts) }));
  }

  async dropUpload(id: string, createdBefore: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM multipart_parts WHERE upload_id IN (SELECT id FROM multipart_uploads WHERE id = ? AND created_at <= ?)', [id, createdBefore]);
      return (await tx.run('DELETE FROM multipart_uploads WHERE id = ? AND created_at <= ?', [id, createdBefore])).changes > 0;
    });
  }

  async forgetBlob(digest: string): Promise<void> {
    await this.db.run('DELETE FROM blobs WHERE digest = ?', [digest]);
  }
}
