import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../drivers/postgres.ts';

/**
 * The database tests connect to in order to create and drop their own. Trust auth on localhost here; CI may
 * point elsewhere with ARGMAX_TEST_POSTGRES_URL.
 */
export const TEST_POSTGRES_ADMIN_URL =
  process.env.ARGMAX_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

const START_HINT =
  'start it with `pg_ctlcluster 15 main start` (Debian/Ubuntu), `brew services start postgresql` (macOS) or ' +
  '`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16`, ' +
  'or point ARGMAX_TEST_POSTGRES_URL at one';

/** CI, or a developer, asked for the real services: a missing PostgreSQL is then a failure, not a skip. */
export function servicesRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return ci || env.ARGMAX_REQUIRE_SERVICES === '1';
}

/** Null when PostgreSQL answers at `url`, otherwise why not. */
export async function probePostgres(url = TEST_POSTGRES_ADMIN_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    const first = error instanceof AggregateError ? error.errors[0] : error;
    return first instanceof Error ? first.message || first.name : String(first);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Decides, once per test file, whether the PostgreSQL half of a suite runs: yes when it is reachable; a thrown
 * error naming the problem when it is not and services are required; otherwise a skip with the reason printed.
 */
export async function postgresForTests(
  url = TEST_POSTGRES_ADMIN_URL,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ available: true } | { available: false; reason: string }> {
  const problem = await probePostgres(url);
  if (problem === null) return { available: true };
  const message = `PostgreSQL required at ${redactUrl(url)} (${problem}) — ${START_HINT}`;
  if (servicesRequired(env))
    throw new Error(
      `${message}. CI or ARGMAX_REQUIRE_SERVICES=1 is set, so the storage tests fail instead of skipping.`,
    );
  console.warn(
    `SKIPPING the PostgreSQL storage tests: ${message}. (Set ARGMAX_REQUIRE_SERVICES=1 to fail instead.)`,
  );
  return { available: false, reason: message };
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/** A new, empty database `argmax_test_<random>` next to the admin database; drop it when done. */
export async function createTestDatabase(adminUrl = TEST_POSTGRES_ADMIN_URL): Promise<TestDatabase> {
  const name = `argmax_test_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Lists test databases, so a test can check that it cleaned up after itself. */
export async function listTestDatabases(adminUrl = TEST_POSTGRES_ADMIN_URL): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'argmax\\_test\\_%'",
    );
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
