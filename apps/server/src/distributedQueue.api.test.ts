import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@argmax/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './testing/apiClient.ts';
import { deleteRedisKeys, postgresAndRedisForTests, TEST_REDIS_URL } from './testing/redisForTests.ts';
import { type ServiceProcess, startServiceProcess } from './testing/serviceProcess.ts';
import { distributedStackEnv, STACK_COMMANDS, STACK_READY } from './testing/stackCommands.ts';
import { until } from './testing/until.ts';

// The production shape as processes: 2 API servers (ARGMAX_QUEUE=redis) and 2 worker processes, started
// with the commands docker-compose.yml runs, on real PostgreSQL and Redis (own database, own key prefix).
// Fails, not skips, when CI (or ARGMAX_REQUIRE_SERVICES=1) asked for those services and they are missing.
const ready = await postgresAndRedisForTests();

const prefix = `argmax-test-${randomUUID()}:`;
let database: TestDatabase | undefined;
const processes: ServiceProcess[] = [];
let apiA: ServiceProcess;
let apiB: ServiceProcess;
const workers = new Map<string, ServiceProcess>();

beforeAll(async () => {
  if (!ready) return;
  database = await createTestDatabase();
  const env = {
    ...distributedStackEnv(database.url, TEST_REDIS_URL, prefix),
    // A dead worker's job is found stalled within seconds.
    ARGMAX_STALLED_SECONDS: '5',
    ARGMAX_CERTIFY_SECONDS: '0',
    ARGMAX_MAX_ACTIVE_RUNS_PER_USER: '100',
  };
  // The first API server migrates the new database; the others start together after it.
  apiA = await startServiceProcess('api-a', STACK_COMMANDS.api, env, STACK_READY.api);
  processes.push(apiA);
  const started = await Promise.all([
    startServiceProcess('api-b', STACK_COMMANDS.api, env, STACK_READY.api),
    ...['worker-a', 'worker-b'].map((id) =>
      startServiceProcess(id, STACK_COMMANDS.worker, { ...env, ARGMAX_WORKER_ID: id }, STACK_READY.worker),
    ),
  ]);
  apiB = started[0]!;
  processes.push(...started);
  for (const worker of started.slice(1)) workers.set(worker.name, worker);
}, 240_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await database?.drop();
  if (ready) await deleteRedisKeys(prefix);
}, 60_000);

const url = (p: ServiceProcess) => `http://127.0.0.1:${p.port}`;

interface RunView {
  id: string;
  status: string;
  error: string | null;
  worker: string | null;
  stepCount: number;
}
const RUN_FIELDS = 'id status error worker stepCount';
type Event = {
  runEvents: {
    __typename: string;
    step?: number;
    objective?: number;
    status?: string;
    index?: number;
    certificateStatus?: string;
    reason?: string | null;
  };
};
const EVENTS = `subscription($r: ID!) { runEvents(runId: $r) { __typename
  ... on RunStepEvent { step objective } ... on RunStatusEvent { status }
  ... on RunBoundEvent { index certificateStatus reason } } }`;

let session: { a: ApiClient; b: ApiClient; teamId: string; modelId: string };

async function signIn(): Promise<typeof session> {
  const a = new ApiClient(`${url(apiA)}/graphql`);
  await a.data('mutation($e: String!) { signUp(email: $e, password: "correct horse battery") { id } }', {
    e: `queue-${randomUUID()}@example.com`,
  });
  const { createApiToken } = await a.data<{ createApiToken: { secret: string } }>(
    'mutation { createApiToken(name: "processes") { secret } }',
  );
  const b = new ApiClient(`${url(apiB)}/graphql`).withToken(createApiToken.secret);
  const { teams, system } = await b.data<{ teams: { id: string }[]; system: { seedModelId: string } }>(
    '{ teams { id } system { seedModelId } }',
  );
  return { a, b, teamId: teams[0]!.id, modelId: system.seedModelId };
}

async function startRun(
  client: ApiClient,
  steps: number,
  restarts: number,
  index = 2,
  certifySeconds = 0,
): Promise<string> {
  const { startRun } = await client.data<{ startRun: { id: string; status: string } }>(
    `mutation($t: ID!, $m: ID!, $s: Int!, $r: Int!, $k: Int!, $c: Float!) { startRun(teamId: $t, modelId: $m,
      input: { target: { kind: LOGIT, index: $k }, steps: $s, restarts: $r, certify: { timeLimitSeconds: $c } }) { id status } }`,
    { t: session.teamId, m: session.modelId, s: steps, r: restarts, k: index, c: certifySeconds },
  );
  expect(startRun.status).toBe('QUEUED');
  return startRun.id;
}

const getRun = async (client: ApiClient, id: string) =>
  (await client.data<{ run: RunView }>(`query($r: ID!) { run(id: $r) { ${RUN_FIELDS} } }`, { r: id })).run;

/** Every stored step of a run, read in pages (the API gives at most 10 000 at a time). */
async function storedSteps(client: ApiClient, id: string): Promise<{ step: number; objective: number }[]> {
  const all: { step: number; objective: number }[] = [];
  for (;;) {
    const { run } = await client.data<{ run: { steps: { step: number; objective: number }[] } }>(
      'query($r: ID!, $f: Int!) { run(id: $r) { steps(from: $f, limit: 10000) { step objective } } }',
      { r: id, f: all.length === 0 ? 0 : all.at(-1)!.step + 1 },
    );
    all.push(...run.steps);
    if (run.steps.length < 10_000) return all;
  }
}

describe.skipIf(!ready)('distributed queue: 2 API server processes, 2 worker processes', () => {
  it('a client on server A receives the steps of a run started through server B and executed by a worker', async () => {
    session = await signIn();
    const id = await startRun(session.b, 300, 8);
    const events = (await session.a.subscribe<Event>(EVENTS, { r: id }).events).map((e) => e.runEvents);

    const run = await getRun(session.a, id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', stepCount: 300 });
    expect([...workers.keys()]).toContain(run.worker);
    const statuses = events.filter((e) => e.__typename === 'RunStatusEvent').map((e) => e.status);
    expect(statuses.at(-1)).toBe('SUCCEEDED');
    // Live steps are coalesced (≤ 30 frames/s); each one is a stored step, exactly, and the last one arrives.
    const live = events.filter((e) => e.__typename === 'RunStepEvent');
    expect(live.at(-1)?.step).toBe(299);
    const stored = new Map((await storedSteps(session.a, id)).map((s) => [s.step, s.objective]));
    expect(stored.size).toBe(300);
    for (const step of live) expect(step.objective).toBe(stored.get(step.step!));
  });

  it('cancelling through server A reaches the worker executing the run', async () => {
    const id = await startRun(session.b, 100_000, 4);
    const running = await until('the run to start on a worker', async () => {
      const run = await getRun(session.a, id);
      return run.status === 'RUNNING' && run.stepCount > 0 ? run : undefined;
    });
    const { cancelRun } = await session.a.data<{ cancelRun: RunView }>(
      `mutation($r: ID!) { cancelRun(id: $r) { ${RUN_FIELDS} } }`,
      { r: id },
    );
    expect(cancelRun).toMatchObject({ status: 'CANCELLED', error: null, worker: running.worker });
    // The worker stopped: it records no more steps.
    const after = (await getRun(session.a, id)).stepCount;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await getRun(session.a, id)).stepCount).toBe(after);
  });

  it('20 runs submitted at once all finish, spread over both workers', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => startRun(i % 2 ? session.a : session.b, 200, 8, i % 10)),
    );
    const runs = await until('all 20 runs to finish', async () => {
      const all = await Promise.all(ids.map((id) => getRun(session.a, id)));
      return all.every((r) => r.status === 'SUCCEEDED' || r.status === 'FAILED') ? all : undefined;
    });
    expect(runs.map((r) => r.status)).toEqual(ids.map(() => 'SUCCEEDED'));
    expect(runs.map((r) => r.stepCount)).toEqual(ids.map(() => 200));
    const byWorker = new Map<string, number>();
    for (const r of runs) byWorker.set(r.worker!, (byWorker.get(r.worker!) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual(['worker-a', 'worker-b']);

    // What the processes report: the API's runs by status and queue, a worker's executed steps.
    const metrics = await (await fetch(`${url(apiA)}/metrics`)).text();
    expect(Number(/argmax_runs\{status="SUCCEEDED"[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(
      21,
    );
    expect(metrics).toMatch(/argmax_queue_jobs\{state="waiting"[^}]*\} 0/);
    const workerMetrics = await (await fetch(url(workers.get('worker-a')!) + '/metrics')).text();
    expect(Number(/argmax_run_steps_total\{[^}]*\} (\d+)/.exec(workerMetrics)?.[1])).toBeGreaterThan(0);
    const readiness = await fetch(`${url(apiB)}/readyz`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: 'ready', storage: 'postgres', queue: 'redis' });
  });

  it('a worker SIGKILLed mid-run: the run becomes INTERRUPTED, every step it recorded kept', async () => {
    // With a certificate still pending when the worker dies: its outcome (STOPPED) must reach the watcher.
    const id = await startRun(session.b, 100_000, 4, 2, 30);
    const watching = session.a.subscribe<Event>(EVENTS, { r: id }).events;
    const running = await until('the run to record steps on a worker', async () => {
      const run = await getRun(session.a, id);
      return run.status === 'RUNNING' && run.stepCount >= 200 ? run : undefined;
    });
    const victim = workers.get(running.worker!)!;
    const survivor = [...workers.values()].find((w) => w !== victim)!;
    victim.kill('SIGKILL');
    await victim.exited;
    const recordedAtKill = await storedSteps(session.a, id);

    // The other worker finds the job stalled and records the documented outcome; the watcher sees it.
    const events = (await watching).map((e) => e.runEvents);
    expect(events.at(-1)).toMatchObject({ __typename: 'RunStatusEvent', status: 'INTERRUPTED' });
    // Before it, the certificate's final word, exactly as a late joiner reads it from storage.
    const finalBound = events.at(-2);
    expect(finalBound).toMatchObject({ __typename: 'RunBoundEvent', certificateStatus: 'STOPPED' });
    const lateJoiner = (await session.b.subscribe<Event>(EVENTS, { r: id }).events).map((e) => e.runEvents);
    expect(lateJoiner.at(-2)).toEqual(finalBound);
    const run = await getRun(session.a, id);
    expect(run.status).toBe('INTERRUPTED');
    expect(run.error).toContain(`the worker executing it (${victim.name}) stopped`);
    expect(survivor.output()).toContain(`run ${id}: the worker executing it (${victim.name}) stopped`);
    // No recorded step lost: everything stored at the kill is still there, unchanged, with no gaps.
    const after = await storedSteps(session.a, id);
    expect(after.map((s) => s.step)).toEqual(after.map((_, i) => i));
    expect(after.length).toBe(run.stepCount);
    expect(after.slice(0, recordedAtKill.length)).toEqual(recordedAtKill);
    expect(recordedAtKill.length).toBeGreaterThanOrEqual(200);
  });
});
