/**
 * `TabularEngine` over an in-process, in-memory DuckDB. Files are read in
 * place (`read_csv` / `read_parquet`); nothing is copied except the two
 * splits of a leakage check, which are held in temporary tables for the
 * duration of the call. Each call uses its own connection, so calls may
 * run concurrently.
 */
import { stat } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { InvalidArgument } from '../../../core/errors.js';
import type { Contract } from '../contract.js';
import { finishValidation, planValidation } from '../contract-checks.js';
import { diffSchemas } from '../diff-schemas.js';
import { inferContract } from '../infer-contract.js';
import { isLeaky, rankFeatures } from '../leakage-rules.js';
import type { ColumnSchema, LeakageOptions, LeakageReport, TableDiff, TableProfile, TabularEngine, ValidationReport } from '../tabular-engine.js';
import { bindCustomChecks, failingCustomCheck, measureChecks } from './check-queries.js';
import { wrapConnection, type Connection } from './connection.js';
import { correlationLeaks, duplicateFindings, hashedSelect, labelBaseline, valueGroupLeaks, type PairedColumn } from './leakage-queries.js';
import { assembleProfile, exactlyCounted, finitePassSql, finiteSecondPassSql, nonFiniteColumns, probeSql, profileSql } from './profile-queries.js';
import { ident, num, schemaColumn } from './sql.js';
import { checkReadable, readError, tableSource, type TableSource } from './table-source.js';

export interface DuckDbTabularEngineOptions {
  /** DuckDB worker threads (default: DuckDB's, one per core). */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. '4GB' (default: DuckDB's, 80% of RAM). */
  readonly memoryLimit?: string;
  /** A CSV up to this size is parsed once into memory for profiling instead of once per pass (default 1 GiB; larger ones are parsed twice). */
  readonly materializeCsvBytes?: number;
}

export class DuckDbTabularEngine implements TabularEngine {
  private instance: Promise<DuckDBInstance> | null = null;
  private closed = false;

  constructor(private readonly options: DuckDbTabularEngineOptions = {}) {}

  async profile(file: string): Promise<TableProfile> {
    return this.withSource(file, async (conn, src, schema) => {
      // A CSV small enough is parsed once, into the statement's materialized CTE, rather than once per pass.
      const materialize = src.format === 'csv' && (await stat(file)).size <= (this.options.materializeCsvBytes ?? 2 ** 30);
      const probe = probeSql(src.sql, schema);
      const exact = exactlyCounted(schema, probe === null ? {} : (await conn.all(probe))[0] ?? {});
      let row = (await conn.all(profileSql(src.sql, schema, exact, materialize)))[0] ?? {};
      const nonFinite = nonFiniteColumns(schema, row);
      if (nonFinite.size > 0) {
        row = { ...row, ...(await conn.all(finitePassSql(src.sql, schema, nonFinite)))[0] };
        const again = finiteSecondPassSql(src.sql, schema, nonFinite, row);
        if (again !== null) row = { ...row, ...(await conn.all(again))[0] };
      }
      const { rows, columns } = assembleProfile(schema, row);
      return { file, format: src.format, rows, columns };
    });
  }

  async validate(file: string, contract: Contract): Promise<ValidationReport> {
    return this.withSource(file, async (conn, src, schema) => {
      const plan = planValidation(contract, schema);
      if (contract.checks.length > 0) {
        await conn.run(`CREATE OR REPLACE TEMP TABLE __cairn_shape AS SELECT * FROM ${src.sql} LIMIT 0`);
        await bindCustomChecks(conn, contract, '__cairn_shape');
      }
      try {
        const { rows, measured } = await measureChecks(conn, plan.planned, src.sql);
        return finishValidation(file, contract, plan, rows, measured);
      } catch (e) {
        throw (contract.checks.length > 0 ? await failingCustomCheck(conn, contract, src.sql) : null) ?? e;
      }
    });
  }

  async inferContract(file: string): Promise<Contract> {
    const profile = await this.profile(file);
    // The distinct estimate only nominates candidates; uniqueness is then counted exactly.
    const candidates = profile.columns.filter((c) => c.missing === 0 && c.type !== 'other' && c.type !== 'float' && profile.rows > 1 && c.distinct >= 0.9 * profile.rows);
    let unique: string[] = [];
    if (candidates.length > 0) {
      unique = await this.withSource(file, async (conn, src) => {
        const [r] = await conn.all(`SELECT ${candidates.map((c, i) => `count(DISTINCT ${ident(c.name)}) = count(*) AS u${i}`).join(', ')} FROM ${src.sql}`);
        return candidates.filter((_, i) => r?.[`u${i}`] === true).map((c) => c.name);
      });
    }
    return inferContract(profile, unique, file);
  }

  async checkLeakage(train: string, valid: string, opts: LeakageOptions = {}): Promise<LeakageReport> {
    const trainSrc = tableSource(train);
    const validSrc = tableSource(valid);
    await Promise.all([checkReadable(train), checkReadable(valid)]);
    const conn = await this.connect();
    try {
      const trainSchema = await this.read(trainSrc, () => describe(conn, trainSrc.sql));
      const validSchema = await this.read(validSrc, () => describe(conn, validSrc.sql));
      const columns = pairColumns(train, trainSchema, valid, validSchema);
      const pick = (name: string, flag: string): PairedColumn => {
        const c = columns.find((p) => p.name === name);
        if (!c) throw new InvalidArgument(`${flag} ${name}: no such column; the files have: ${columns.map((p) => p.name).join(', ')}`);
        return c;
      };
      const key = (opts.key ?? []).map((k) => pick(k, '--key'));
      const label = opts.label === undefined ? null : pick(opts.label, '--label');
      await this.read(trainSrc, () => conn.run(`CREATE OR REPLACE TEMP TABLE tr AS ${hashedSelect(trainSrc.sql, columns, key)}`));
      await this.read(validSrc, () => conn.run(`CREATE OR REPLACE TEMP TABLE va AS ${hashedSelect(validSrc.sql, columns, key)}`));
      const [counts] = await conn.all('SELECT (SELECT count(*) FROM tr) AS t, (SELECT count(*) FROM va) AS v');
      const duplicates = await duplicateFindings(conn, key.length > 0);
      let features: LeakageReport['features'] = [];
      let baseline: number | null = null;
      if (label) {
        const rest = columns.filter((c) => c.name !== label.name);
        baseline = await labelBaseline(conn, label);
        features = rankFeatures([...(await valueGroupLeaks(conn, rest, label, baseline)), ...(await correlationLeaks(conn, rest, label))]);
      }
      return {
        train, valid, trainRows: num(counts?.t) ?? 0, validRows: num(counts?.v) ?? 0,
        duplicates, features, labelBaseline: baseline, leaky: isLeaky(duplicates, features),
      };
    } finally {
      conn.close();
    }
  }

  async diff(a: string, b: string): Promise<TableDiff> {
    const shape = (file: string) => this.withSource(file, async (conn, src, schema) => {
      const [r] = await conn.all(`SELECT count(*) AS n FROM ${src.sql}`);
      return { file, rows: num(r?.n) ?? 0, schema };
    });
    return diffSchemas(await shape(a), await shape(b));
  }

  close(): void {
    this.closed = true;
    const instance = this.instance;
    this.instance = null;
    void instance?.then((i) => i.closeSync(), () => undefined);
  }

  private async connect(): Promise<Connection> {
    if (this.closed) throw new Error('DuckDbTabularEngine is closed');
    const opts: Record<string, string> = { preserve_insertion_order: 'false' };
    if (this.options.threads !== undefined) opts.threads = String(this.options.threads);
    if (this.options.memoryLimit !== undefined) opts.memory_limit = this.options.memoryLimit;
    this.instance ??= DuckDBInstance.create(':memory:', opts);
    return wrapConnection(await (await this.instance).connect());
  }

  /** Runs `fn` with a connection and the file's source; read errors become InvalidArgument naming the file. */
  private async withConnection<T>(file: string, fn: (conn: Connection, src: TableSource) => Promise<T>): Promise<T> {
    const src = tableSource(file);
    await checkReadable(file);
    const conn = await this.connect();
    try {
      return await this.read(src, () => fn(conn, src));
    } finally {
      conn.close();
    }
  }

  /** `withConnection`, with the file's schema. */
  private withSource<T>(file: string, fn: (conn: Connection, src: TableSource, schema: ColumnSchema[]) => Promise<T>): Promise<T> {
    return this.withConnection(file, async (conn, src) => fn(conn, src, await describe(conn, src.sql)));
  }

  private async read<T>(src: TableSource, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw await readError(e, src);
    }
  }
}

async function describe(conn: Connection, from: string): Promise<ColumnSchema[]> {
  const rows = await conn.all(`DESCRIBE SELECT * FROM ${from}`);
  return rows.map((r) => schemaColumn(String(r.column_name), String(r.column_type)));
}

function pairColumns(train: string, t: readonly ColumnSchema[], valid: string, v: readonly ColumnSchema[]): PairedColumn[] {
  const inValid = new Map(v.map((c) => [c.name, c]));
  const onlyTrain = t.filter((c) => !inValid.has(c.name)).map((c) => c.name);
  const onlyValid = v.filter((c) => !t.some((x) => x.name === c.name)).map((c) => c.name);
  if (onlyTrain.length + onlyValid.length > 0) {
    throw new InvalidArgument(`${train} and ${valid} have different columns (only in train: ${onlyTrain.join(', ') || 'none'}; only in valid: ${onlyValid.join(', ') || 'none'}); compare splits of one table`);
  }
  return t.map((c) => ({ name: c.name, train: c, valid: inValid.get(c.name) as ColumnSchema }));
}
