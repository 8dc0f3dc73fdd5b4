/** Reads one run's params, tags, latest metrics and inputs in a single query. */
import type { Queryable } from '../storage/db.js';
import type { DatasetInput, LatestMetric, Run } from './domain.js';
import type { RunHeader } from './tracking-store.js';
import { toInput, toMetric } from './sql-rows.js';

/** Everything of a run that lives outside its own row. */
export type RunDetails = Pick<Run, 'params' | 'tags' | 'metrics' | 'inputs'>;

interface DetailRow {
  kind: 'm' | 'p' | 't' | 'i';
  key: string;
  value: string | null;
  num: number | null;
  is_nan: number | null;
  step: number | null;
  ts: number | null;
  digest: string | null;
  source_type: string | null;
  source: string | null;
  schema: string | null;
  profile: string | null;
  context: string | null;
  tags: string | null;
}

// The first branch names and types every column (PostgreSQL resolves a UNION's
// column types from its branches, and an untyped NULL there would become text).
const DETAILS_SQL = `
SELECT 'm' AS kind, key, CAST(NULL AS TEXT) AS value, value AS num, is_nan, step, timestamp AS ts,
       CAST(NULL AS TEXT) AS digest, CAST(NULL AS TEXT) AS source_type, CAST(NULL AS TEXT) AS source,
       CAST(NULL AS TEXT) AS schema, CAST(NULL AS TEXT) AS profile, CAST(NULL AS TEXT) AS context, CAST(NULL AS TEXT) AS tags
  FROM latest_metrics WHERE run_id = ?
UNION ALL
SELECT 'p', key, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM params WHERE run_id = ?
UNION ALL
SELECT 't', key, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM run_tags WHERE run_id = ?
UNION ALL
SELECT 'i', d.name, NULL, NULL, NULL, NULL, NULL, d.digest, d.source_type, d.source, d.schema, d.profile, i.context, i.tags
  FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id WHERE i.run_id = ?
ORDER BY kind, key`;

/** The run's params, tags, metrics (by key) and inputs (by name), read in one statement. */
export async function readRunDetails(q: Queryable, runId: string): Promise<RunDetails> {
  const params: Record<string, string> = {};
  const tags: Record<string, string> = {};
  const metrics: LatestMetric[] = [];
  const inputs: DatasetInput[] = [];
  for (const r of await q.all<DetailRow>(DETAILS_SQL, [runId, runId, runId, runId])) {
    if (r.kind === 'p') params[r.key] = r.value as string;
    else if (r.kind === 't') tags[r.key] = r.value as string;
    else if (r.kind === 'm') {
      metrics.push(toMetric({ run_id: runId, key: r.key, value: r.num, is_nan: Number(r.is_nan), step: r.step as number, timestamp: r.ts as number }));
    } else {
      inputs.push(toInput({
        run_id: runId, name: r.key, digest: r.digest as string, source_type: r.source_type as string, source: r.source as string,
        schema: r.schema, profile: r.profile, context: r.context as string, tags: r.tags as string,
      }));
    }
  }
  return { params, tags, metrics, inputs };
}

/** A whole run from its row and its details. */
export const withDetails = (header: RunHeader, details: RunDetails): Run => ({ ...header, ...details });
