import { randomUUID } from 'node:crypto';
import { createTestDatabase, postgresForTests, type TestDatabase } from '@argmax/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisForTests, TEST_REDIS_URL } from './testing/redisForTests.ts';
import { startTestServer, type TestServer } from './testing/testServer.ts';

// Two API servers sharing one PostgreSQL database and one Redis: a client watching on server A sees every
// step of a run started and executed on server B. Fails (does not skip) when CI asked for the services.
const redisUrl = TEST_REDIS_URL;
const postgres = await postgresForTests();
const redis = await redisForTests();
const ready = postgres.available && redis;

let database: TestDatabase | undefined;
let serverA: TestServer | undefined;
let serverB: TestServer | undefined;

beforeAll(async () => {
  if (!ready) return;
  database = await createTestDatabase();
  const shared = { databaseUrl: database.url, redisUrl, redisPrefix: `argmax-test-${randomUUID()}:` };
  serverA = await startTestServer(shared);
  serverB = await startTestServer(shared);
});

afterAll(async () => {
  await serverA?.close();
  await serverB?.close();
  await database?.drop();
});

describe.skipIf(!ready)('two servers, PostgreSQL + Redis', () => {
  it('a subscriber on server A receives every published step of a run executed on server B', async () => {
    const b = await serverB!.signUp('bee');
    const token = (
      await b.client.data<{ createApiToken: { secret: string } }>(
        'mutation { createApiToken(name: "t") { secret } }',
      )
    ).createApiToken.secret;
    const onA = serverA!.client().withToken(token);
    const { system } = await onA.data<{ system: { seedModelId: string; storage: string } }>(
      '{ system { seedModelId storage } }',
    );
    expect(system.storage).toBe('postgres');
    const { startRun } = await b.client.data<{ startRun: { id: string } }>(
      'mutation($t: ID!, $m: ID!) { startRun(teamId: $t, modelId: $m, input: { target: { kind: LOGIT, index: 2 }, steps: 400, restarts: 8 }) { id } }',
      { t: b.teamId, m: system.seedModelId },
    );
    const events = await onA.subscribe<{ runEvents: { __typename: string; step?: number; status?: string } }>(
      'subscription($r: ID!) { runEvents(runId: $r) { __typename ... on RunStepEvent { step } ... on RunStatusEvent { status } } }',
      { r: startRun.id },
    ).events;
    const steps = events
      .filter((e) => e.runEvents.__typename === 'RunStepEvent')
      .map((e) => e.runEvents.step!);
    expect(steps.at(-1)).toBe(399);
    expect(steps.length).toBeGreaterThanOrEqual(4);
    expect(events.at(-1)?.runEvents.status).toBe('SUCCEEDED');
    const stored = await onA.data<{ run: { stepCount: number; status: string } }>(
      'query($r: ID!) { run(id: $r) { stepCount status } }',
      { r: startRun.id },
    );
    expect(stored.run).toEqual({ stepCount: 400, status: 'SUCCEEDED' });

    // Each server reports what it did: B executed the 400 steps, A none; both see the shared run.
    const metrics = async (server: TestServer) =>
      (await fetch(server.url.replace('/graphql', '/metrics'))).text();
    const [metricsA, metricsB] = await Promise.all([metrics(serverA!), metrics(serverB!)]);
    expect(metricsB).toMatch(/^argmax_run_steps_total\{role="api"\} 400$/m);
    expect(metricsA).toMatch(/^argmax_run_steps_total\{role="api"\} 0$/m);
    for (const text of [metricsA, metricsB]) {
      expect(text).toMatch(/^argmax_runs\{status="SUCCEEDED",role="api"\} 1$/m);
      expect(text).toMatch(/^argmax_queue_jobs\{state="waiting",role="api"\} 0$/m);
      expect(text).toMatch(/^argmax_run_subscribers\{role="api"\} \d+$/m);
    }
    const ready = await fetch(serverA!.url.replace('/graphql', '/readyz'));
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      storage: 'postgres',
      pubsub: 'redis',
      queue: 'in-process',
    });
    expect((await fetch(serverA!.url.replace('/graphql', '/healthz'))).status).toBe(200);
  });
});
