import { randomUUID } from 'node:crypto';
import { MIGRATION_LOCK_KEY } from '@argmax/db';
import { createTestDatabase, type TestDatabase } from '@argmax/db/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, postgresAndRedisForTests, TEST_REDIS_URL } from './testing/redisForTests.ts';
import { type ServiceProcess, startServiceProcess } from './testing/serviceProcess.ts';
import { distributedStackEnv, STACK_COMMANDS, STACK_READY } from './testing/stackCommands.ts';
import { until } from './testing/until.ts';

// `docker compose up` with 3 API servers and 2 workers on a fresh PostgreSQL database: every process runs
// its start-up writes (migrations, the seed model) at the same moment. To make "the same moment" exact
// rather than a matter of luck, the test holds the migration lock until all five wait for it, then lets go.
const ready = await postgresAndRedisForTests();

const ROUNDS = 10;
const prefix = `argmax-test-${randomUUID()}:`;

afterAll(async () => {
  if (ready) await deleteRedisKeys(prefix);
});

/** Starts the five processes against `database`, all released from the migration lock together. */
async function startTogether(database: TestDatabase): Promise<PromiseSettledResult<ServiceProcess>[]> {
  const env = distributedStackEnv(database.url, TEST_REDIS_URL, prefix);
  const gate = new pg.Client({ connectionString: database.url });
  await gate.connect();
  try {
    await gate.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    const starting = Promise.allSettled([
      ...['api-1', 'api-2', 'api-3'].map((name) =>
        startServiceProcess(name, STACK_COMMANDS.api, env, STACK_READY.api),
      ),
      ...['worker-1', 'worker-2'].map((id) =>
        startServiceProcess(id, STACK_COMMANDS.worker, { ...env, ARGMAX_WORKER_ID: id }, STACK_READY.worker),
      ),
    ]);
    let settled = false;
    void starting.then(() => {
      settled = true;
    });
    await until('all five processes to wait for the migration lock', async () => {
      if (settled) return true; // one failed before reaching the lock: its reason is reported below
      const { rows } = await gate.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_locks
         WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = $1)`,
        [database.name],
      );
      return rows[0]!.waiting >= 5 ? true : undefined;
    });
    await gate.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    return await starting;
  } finally {
    await gate.end();
  }
}

async function builtinModelNames(database: TestDatabase): Promise<string[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM models WHERE team_id IS NULL');
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe.skipIf(!ready)('3 API servers and 2 workers starting at once on a fresh database', () => {
  it(`every process becomes ready and exactly one seed model exists, ${ROUNDS} times in a row`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const database = await createTestDatabase();
      let started: PromiseSettledResult<ServiceProcess>[] = [];
      try {
        started = await startTogether(database);
        const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
        expect(failures, `round ${round}`).toEqual([]);
        expect(await builtinModelNames(database), `round ${round}`).toEqual(['Fashion-MNIST MLP (seed)']);
      } finally {
        await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
        await database.drop();
      }
    }
  }, 900_000);
});
