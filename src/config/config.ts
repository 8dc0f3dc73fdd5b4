/**
 * The one place Cairn reads its environment. Everything else receives a
 * `CairnConfig`.
 *
 * - CAIRN_HOME: data folder (default ~/.cairn): cairn.db and artifacts/ live here.
 * - CAIRN_URL: server URL for the CLI and SDK (default http://127.0.0.1:5000).
 * - CAIRN_TOKEN: bearer token sent by the CLI and SDK.
 * - CAIRN_DB / --db: a SQLite file path or postgres://… URL.
 * - CAIRN_ARTIFACTS / --artifacts: a folder or s3://bucket/prefix.
 * - CAIRN_S3_ENDPOINT_URL or AWS_ENDPOINT_URL: S3-compatible endpoint; AWS_REGION.
 * - CAIRN_REQUIRE_CLEAN=1: `cairn run` refuses a working tree with uncommitted or untracked files.
 *
 * `cairn run` hands the caller's environment to the training command, so the
 * config carries a snapshot of it (`env`); only allow-listed, non-secret
 * names from it are ever recorded.
 * - CAIRN_AUTH / --auth: `1` or `true` turns authentication on (default off: single-user mode).
 * - CAIRN_ADMIN_TOKEN: with auth on, the server makes sure this token belongs to user `admin` (bootstrap).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CairnConfig {
  readonly home: string;
  readonly url: string;
  readonly token: string | null;
  readonly db: string;
  readonly artifacts: string;
  readonly s3Endpoint: string | undefined;
  readonly s3Region: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly offlineFile: string;
  readonly requireClean: boolean;
  /** The process environment, for commands that start child processes. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Authentication and per-route permission checks; off in the single-user default. */
  readonly auth: boolean;
  /** A token the server registers for user `admin` at start when auth is on. */
  readonly adminToken: string | null;
}

export interface ConfigOverrides {
  readonly db?: string;
  readonly artifacts?: string;
  readonly host?: string;
  readonly port?: number | string;
  readonly url?: string;
  readonly auth?: boolean;
}

export const DEFAULT_PORT = 5000;

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): CairnConfig {
  const home = resolve(env.CAIRN_HOME || join(homedir(), '.cairn'));
  const port = Number(overrides.port ?? env.CAIRN_PORT ?? DEFAULT_PORT);
  const host = overrides.host ?? env.CAIRN_HOST ?? '127.0.0.1';
  const db = overrides.db ?? env.CAIRN_DB ?? join(home, 'cairn.db');
  const artifacts = overrides.artifacts ?? env.CAIRN_ARTIFACTS ?? join(home, 'artifacts');
  return {
    home,
    url: (overrides.url ?? env.CAIRN_URL ?? `http://127.0.0.1:${DEFAULT_PORT}`).replace(/\/+$/, ''),
    token: env.CAIRN_TOKEN || null,
    db: /^(postgres(ql)?|sqlite):/.test(db) ? db : resolve(db),
    artifacts: /^s3:\/\//.test(artifacts) ? artifacts : resolve(artifacts.replace(/^file:\/\//, '')),
    s3Endpoint: env.CAIRN_S3_ENDPOINT_URL || env.AWS_ENDPOINT_URL || undefined,
    s3Region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    host,
    port,
    offlineFile: join(home, 'offline'),
    requireClean: /^(1|true|yes|on)$/i.test(env.CAIRN_REQUIRE_CLEAN ?? ''),
    env: { ...env },
    auth: overrides.auth ?? /^(1|true|yes|on)$/i.test(env.CAIRN_AUTH ?? ''),
    adminToken: env.CAIRN_ADMIN_TOKEN || null,
  };
}

/** Hides a password inside a database URL for printing. */
export const redactUrl = (u: string): string => u.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
