import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@argmax/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from './config.ts';
import type { ApiClient } from './testing/apiClient.ts';
import { deleteRedisKeys, postgresAndRedisForTests, TEST_REDIS_URL } from './testing/redisForTests.ts';
import { startTcpProxy, type TcpProxy } from './testing/tcpProxy.ts';
import { startTestServer, type TestServer } from './testing/testServer.ts';
import { until } from './testing/until.ts';
import { startWorkerProcess, type WorkerProcess } from './workerProcess.ts';

// PostgreSQL and Redis going away under a running distributed setup (API server with the queue + a worker),
// through TCP proxies the test cuts and restores: clear errors, no crash, and recovery when they return.
const ready = await postgresAndRedisForTests();

const prefix = `argmax-test-${randomUUID()}:`;
let database: TestDatabase | undefined;
let pgProxy: TcpProxy | undefined;
let redisProxy: TcpProxy | undefined;
let api: TestServer | undefined;
let worker: WorkerProcess | undefined;
const apiLog: string[] = [];
const workerLog: string[] = [];

beforeAll(async () => {
  if (!ready) return;
  database = await createTestDatabase();
  pgProxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url).port || 5432) });
  redisProxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port || 6379) });
  const databaseUrl = Object.assign(new URL(database.url), { port: String(pgProxy.port) }).toString();
  const redisUrl = `redis://127.0.0.1:${redisProxy.port}`;
  const shared = { databaseUrl, redisUrl, redisPrefix: prefix, queue: 'redis' as const };
  api = await startTestServer({
    ...shared,
    resubmitSeconds: 1,
    defaultCertifySeconds: 0,
    log: (line) => apiLog.push(line),
  });
  worker = await startWorkerProcess({
    ...configFromEnv({}),
    ...shared,
    host: '127.0.0.1',
    workerPort: 0,
    // A second slot takes a job while the database is away (see the first test).
    maxConcurrentJobs: 2,
    workerId: 'outage-worker',
    log: (line) => workerLog.push(line),
  });
});

afterAll(async () => {
  await pgProxy?.restore();
  await redisProxy?.restore();
  await worker?.stop();
  await api?.close();
  await pgProxy?.close();
  await redisProxy?.close();
  await database?.drop();
  if (ready) await deleteRedisKeys(prefix);
});

interface RunView {
  status: string;
  stepCount: number;
}

const readiness = async () => {
  const response = await fetch(api!.url.replace('/graphql', '/readyz'));
  return { status: response.status, body: (await response.json()) as { failures?: Record<string, string> } };
};

let user: { client: ApiClient; teamId: string; modelId: string };

async function startRun(steps: number): Promise<string> {
  const { startRun } = await user.client.data<{ startRun: { id: string; status: string } }>(
    `mutation($t: ID!, $m: ID!, $s: Int!) { startRun(teamId: $t, modelId: $m,
      input: { target: { kind: LOGIT, index: 3 }, steps: $s, restarts: 4 }) { id status } }`,
    { t: user.teamId, m: user.modelId, s: steps },
  );
  expect(startRun.status).toBe('QUEUED');
  return startRun.id;
}

const getRun = async (id: string) =>
  (await user.client.data<{ run: RunView }>('query($r: ID!) { run(id: $r) { status stepCount } }', { r: id }))
    .run;

describe.skipIf(!ready)('PostgreSQL and Redis going away', () => {
  it('PostgreSQL away: a clear error meanwhile, then every step stored; a job taken meanwhile waits for it', async () => {
    const signedUp = await api!.signUp('outage');
    const { system } = await signedUp.client.data<{ system: { seedModelId: string } }>(
      '{ system { seedModelId } }',
    );
    user = { client: signedUp.client, teamId: signedUp.teamId, modelId: system.seedModelId };
    // Long enough to still be running when the database goes away, even on the native backend.
    const steps = 30_000;
    const id = await startRun(steps);
    await until('the run to record steps', async () => {
      const run = await getRun(id);
      return run.status === 'RUNNING' && run.stepCount > 0 ? run : undefined;
    });
    // A second run, stored QUEUED now and handed to the queue once the database is away: the worker's free
    // slot takes it, cannot read it, puts it back and pauses until the database answers.
    const { storage, dispatch } = api!.app.services;
    const first = (await storage.runs.get(id))!;
    const spec = first.spec as { options: Record<string, unknown> };
    const second = await storage.runs.create({
      ...first,
      spec: { ...spec, options: { ...spec.options, steps: 300 } },
    });
    await storage.runCertificates.create(second.id, { timeLimitSeconds: 0, status: 'OFF', reason: 'test' });

    await pgProxy!.cut();
    await dispatch.submit('run', second.id);
    const down = await readiness();
    expect(down.status).toBe(503);
    expect(Object.keys(down.body.failures ?? {})).toEqual(['storage']);
    const refused = await user.client.request('query($r: ID!) { run(id: $r) { status } }', { r: id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await pgProxy!.restore();

    // 30,000 steps take ~30 s on an idle machine; the wait allows for a machine ten times as busy.
    const run = await until(
      'the run to finish',
      async () => {
        const current = await getRun(id);
        return current.status === 'RUNNING' ? undefined : current;
      },
      400_000,
    );
    expect(run).toEqual({ status: 'SUCCEEDED', stepCount: steps });
    expect((await readiness()).status).toBe(200);
    const log = workerLog.join('\n');
    expect(log).toMatch(/run \S+: storing steps: PostgreSQL at .* is unavailable.*retrying/);
    expect(log).toMatch(/worker paused: PostgreSQL at .* is unavailable/);
    expect(log).toContain('worker resumed: PostgreSQL answers again');
    const after = await until('the second run to finish', async () => {
      const current = await getRun(second.id);
      return current.status === 'QUEUED' || current.status === 'RUNNING' ? undefined : current;
    });
    expect(after).toEqual({ status: 'SUCCEEDED', stepCount: 300 });
  }, 600_000);

  it('Redis away: nothing crashes, a run started meanwhile stays QUEUED and runs once Redis is back', async () => {
    await redisProxy!.cut();
    const down = await readiness();
    expect(down.status).toBe(503);
    expect(Object.keys(down.body.failures ?? {}).sort()).toEqual(['pubsub', 'queue']);
    const id = await startRun(200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await getRun(id)).status).toBe('QUEUED');
    expect(apiLog.join('\n')).toContain(`run ${id} stays QUEUED: the job queue (Redis) did not take it`);
    await redisProxy!.restore();

    const run = await until('the run to finish', async () => {
      const current = await getRun(id);
      return current.status === 'QUEUED' || current.status === 'RUNNING' ? undefined : current;
    });
    expect(run).toEqual({ status: 'SUCCEEDED', stepCount: 200 });
    expect((await readiness()).status).toBe(200);
  });
});
