import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway PostgreSQL database for one test suite. */
export interface TestPostgres {
  /** Connection URL of the new, empty database. */
  readonly url: string;
  /** Terminates every connection to the database and drops it. Idempotent. */
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `cannot reach the test PostgreSQL at CAIRN_TEST_PG_URL (${(e as Error).message}): ` +
        'start it with `bash scripts/postgres.sh start`',
      { cause: e },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, uniquely named database (`cairn_test_<hex>`) on the server
 * named by `CAIRN_TEST_PG_URL`, an admin URL that `scripts/postgres.sh start`
 * prints and `npm test` exports. Throws when the variable is unset, so a
 * PostgreSQL suite fails rather than skips.
 *
 * @example
 * const pg = await createTestPostgres();
 * const db = new PostgresDb(pg.url);
 * // ... test ...
 * await db.close();
 * await pg.drop();
 */
export async function createTestPostgres(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<TestPostgres> {
  const adminUrl = env['CAIRN_TEST_PG_URL'];
  if (!adminUrl) {
    throw new Error(
      'CAIRN_TEST_PG_URL is not set: start PostgreSQL with `bash scripts/postgres.sh start` (or run `npm test`, which does)',
    );
  }
  const name = `cairn_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
