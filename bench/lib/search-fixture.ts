/**
 * Bulk-loads a tracking database for the search benchmark straight into the
 * tables the migrations create: prepared statements, one transaction per
 * 5,000 runs, secondary indexes dropped during the load and then rebuilt from
 * their own DDL, so the schema ends exactly as migrated. Values come from a
 * seeded generator, so every load is the same.
 */
import type { DatabaseSync } from 'node:sqlite';

export const PARAMS = 20;
export const METRICS = 20;
/** Distinct values of param p<j>: p0 has 2, p1 5, p2 10, p3 20, p4 100, the rest 1,000. */
export const PARAM_CARDINALITY = [2, 5, 10, 20, 100] as const;
const cardinality = (j: number): number => PARAM_CARDINALITY[j] ?? 1_000;
/** Tag t1 takes one of five values, so `tags.t1 = 'x'` matches about 20% of runs. */
const T1 = ['x', 'y', 'z', 'u', 'w'] as const;
const TEAMS = ['vision', 'nlp', 'ranking', 'forecast'] as const;
const MODELS = ['resnet-50', 'resnet-101', 'vit-b16', 'bert-base', 'xgboost', 'lightgbm', 'mlp', 'lstm'] as const;
const STATUSES = ['FINISHED', 'FINISHED', 'FINISHED', 'FAILED', 'KILLED'] as const;

/** mulberry32: a small, fast, seeded PRNG. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex32 = (rnd: () => number): string => {
  let s = '';
  for (let i = 0; i < 4; i++) s += Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, '0');
  return s;
};

export interface Fixture {
  readonly experimentId: string;
  /** Run ids in insertion order. */
  readonly runIds: readonly string[];
}

const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)] as T;

/** Loads `runs` runs with 20 params, 20 latest metrics and 4 tags each into one experiment. */
export function loadSearchFixture(conn: DatabaseSync, runs: number, seed = 42): Fixture {
  const rnd = seeded(seed);
  const experimentId = '1';
  const t0 = Date.UTC(2025, 0, 1);
  conn.prepare(`INSERT INTO experiments (id, name, description, lifecycle, artifact_location, required_tags, run_name_pattern, created_at, updated_at)
    VALUES (?, 'search-bench', NULL, 'active', 'cairn-artifacts:/1', '[]', NULL, ?, ?)`).run(experimentId, t0, t0);
  const ids = Array.from({ length: runs }, () => hex32(rnd));
  const insRun = conn.prepare(`INSERT INTO runs (id, experiment_id, name, status, lifecycle, user_id, start_time, end_time, parent_run_id, notes, artifact_uri)
    VALUES (?, ?, ?, ?, 'active', ?, ?, ?, NULL, NULL, ?)`);
  const insParam = conn.prepare('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)');
  const insTag = conn.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
  const insMetric = conn.prepare('INSERT INTO latest_metrics (run_id, key, value, is_nan, step, timestamp) VALUES (?, ?, ?, 0, ?, ?)');
  const pKeys = Array.from({ length: PARAMS }, (_, j) => `p${j}`);
  const mKeys = Array.from({ length: METRICS }, (_, j) => `m${j}`);
  const indexes = conn.prepare(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('runs', 'params', 'run_tags', 'latest_metrics')`,
  ).all() as { name: string; sql: string }[];
  for (const ix of indexes) conn.exec(`DROP INDEX ${ix.name}`);
  conn.exec('PRAGMA cache_size = -1048576');
  conn.exec('BEGIN');
  for (let i = 0; i < runs; i++) {
    const id = ids[i] as string;
    const start = t0 + i * 60_000;
    const end = start + 3_600_000;
    insRun.run(id, experimentId, `run-${i}`, pick(STATUSES, rnd), pick(['alice', 'bob', 'carol'], rnd), start, end,
      `cairn-artifacts:/1/${id}/artifacts`);
    for (let j = 0; j < PARAMS; j++) insParam.run(id, pKeys[j] as string, `v${Math.floor(rnd() * cardinality(j))}`);
    for (let j = 0; j < METRICS; j++) insMetric.run(id, mKeys[j] as string, rnd(), 100, end);
    insTag.run(id, 't1', pick(T1, rnd));
    insTag.run(id, 'team', pick(TEAMS, rnd));
    insTag.run(id, 'model', pick(MODELS, rnd));
    insTag.run(id, 'git_sha', hex32(rnd).slice(0, 12));
    if (i % 5_000 === 4_999) { conn.exec('COMMIT'); conn.exec('BEGIN'); }
  }
  conn.exec('COMMIT');
  for (const ix of indexes) conn.exec(ix.sql);
  conn.exec('PRAGMA cache_size = -2000');
  conn.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  return { experimentId, runIds: ids };
}
