import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, probePostgres } from '@argmax/db/testing';
import { configFromEnv, type ServerConfig } from '@argmax/server/config';
import type { ApiClient } from '@argmax/server/testing/apiClient';
import { deleteRedisKeys, TEST_REDIS_URL } from '@argmax/server/testing/redisForTests';
import { type ServiceProcess, startServiceProcess } from '@argmax/server/testing/serviceProcess';
import { STACK_COMMANDS } from '@argmax/server/testing/stackCommands';
import { startTestServer, type TestServer } from '@argmax/server/testing/testServer';
import { until } from '@argmax/server/testing/until';
import { type BenchRow, type BenchSuite, benchRow } from './benchRow.ts';
import { quantile, watchFromAnotherProcess } from './server.ts';

const START = `mutation($t: ID!, $m: ID!, $steps: Int!, $k: Int!) { startRun(teamId: $t, modelId: $m,
  input: { target: { kind: LOGIT, index: $k }, steps: $steps, restarts: 16, seed: 1 }) { id } }`;

const WORKER_READY = /argmax worker \S+: .* health on :(\d+)/;

interface Session {
  server: TestServer;
  client: ApiClient;
  teamId: string;
  modelId: string;
  token: string;
}

/**
 * The distributed setup (ARGMAX_QUEUE=redis) on this machine: an API server in this process, worker
 * processes started with `npm run worker`, PostgreSQL and Redis at the test URLs. Runs per minute with 1
 * and then 2 workers (CPU-bound runs, one job per worker: on 2 free cores the second worker should nearly
 * double it), and how late live steps reach a client when they travel worker → Redis → API server,
 * against the embedded default's in-memory bus (the same run, executed inside the API server).
 */
export const scaleOutSuite: BenchSuite = {
  name: 'scale-out',
  async run({ quick, log }) {
    const postgres = await probePostgres();
    if (postgres !== null) {
      log(`scale-out: skipped, PostgreSQL does not answer: ${postgres}`);
      return [];
    }
    const runs = quick ? 6 : 12;
    const steps = quick ? 300 : 1500;
    const watchedSteps = quick ? 300 : 1000;
    const rows: BenchRow[] = [];

    const memory = await session({ defaultCertifySeconds: 0, maxConcurrentJobs: 1 });
    let memoryLatency: number[];
    try {
      await timedBatch(memory, 1, steps); // warm-up: worker thread, model load
      memoryLatency = await watchedRun(memory, watchedSteps);
    } finally {
      await memory.server.close();
    }

    const database = await createTestDatabase();
    const prefix = `argmax-bench-${randomUUID()}:`;
    const shared = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, ARGMAX_REDIS_PREFIX: prefix };
    const workers: ServiceProcess[] = [];
    let distributed: Session | undefined;
    try {
      distributed = await session({
        databaseUrl: database.url,
        redisUrl: TEST_REDIS_URL,
        redisPrefix: prefix,
        queue: 'redis',
        resubmitSeconds: 1,
        defaultCertifySeconds: 0,
      });
      const startWorker = async (id: string) => {
        const env = { ...shared, ARGMAX_WORKER_ID: id, ARGMAX_MAX_JOBS: '1', ARGMAX_WORKER_PORT: '0' };
        workers.push(await startServiceProcess(id, STACK_COMMANDS.worker, env, WORKER_READY));
      };
      await startWorker('bench-worker-1');
      await timedBatch(distributed, 1, steps); // warm-up
      const redisLatency = await watchedRun(distributed, watchedSteps);
      const one = await timedBatch(distributed, runs, steps);
      await startWorker('bench-worker-2');
      await timedBatch(distributed, 2, steps); // warm-up of the new worker (and both busy at once)
      const two = await timedBatch(distributed, runs, steps);
      const capacity = await parallelCapacity(steps);
      log(`scale-out: ${runs} runs: 1 worker ${one.toFixed(1)} s, 2 workers ${two.toFixed(1)} s`);

      const batch = `${runs} runs × ${steps} steps × 16 starts, 1 job per worker`;
      const perMinute = (seconds: number) => (runs / seconds) * 60;
      rows.push(
        {
          suite: 'scale-out',
          case: `${batch}, 1 worker`,
          metric: 'runs/minute',
          value: perMinute(one),
          unit: 'runs/min',
        },
        {
          suite: 'scale-out',
          case: `${batch}, 2 workers`,
          metric: 'runs/minute',
          value: perMinute(two),
          unit: 'runs/min',
          baseline: perMinute(one),
          ratio: one / two,
          note: 'baseline: 1 worker; ~2× expected with 2 free cores',
        },
        {
          suite: 'scale-out',
          case: `ceiling: 2 CLI optimisations at once against 1 (${steps} steps × 16 starts + polish, no server)`,
          metric: 'parallel speed-up',
          value: capacity,
          unit: '×',
          note: 'what the cores gave two such runs right after the workers (2 when free)',
        },
      );
      const watched = `1 subscriber, ${watchedSteps} steps × 16 starts`;
      const latencyRows = (label: string, sorted: number[], baseline?: number[]) =>
        ([0.5, 0.95] as const).map((q) =>
          benchRow({
            suite: 'scale-out',
            case: `${watched}, ${label}`,
            metric: `step→client latency p${q * 100}`,
            value: quantile(sorted, q),
            unit: 'ms',
            baseline: baseline ? quantile(baseline, q) : undefined,
          }),
        );
      rows.push(
        ...latencyRows('in-memory (embedded, executed in the API server)', memoryLatency),
        ...latencyRows('through Redis (executed by a worker process)', redisLatency, memoryLatency),
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await distributed?.server.close();
      await database.drop();
      await deleteRedisKeys(prefix);
    }
    return rows;
  },
};

async function session(overrides: Partial<ServerConfig>): Promise<Session> {
  const server = await startTestServer({
    ...overrides,
    limits: { ...configFromEnv({}).limits, maxActiveRunsPerUser: 1000 },
  });
  const { client, teamId } = await server.signUp('bench');
  const { system } = await client.data<{ system: { seedModelId: string } }>('{ system { seedModelId } }');
  const { createApiToken } = await client.data<{ createApiToken: { secret: string } }>(
    'mutation { createApiToken(name: "bench") { secret } }',
  );
  return { server, client, teamId, modelId: system.seedModelId, token: createApiToken.secret };
}

const start = async (s: Session, steps: number, index: number) =>
  (
    await s.client.data<{ startRun: { id: string } }>(START, {
      t: s.teamId,
      m: s.modelId,
      steps,
      k: index % 10,
    })
  ).startRun.id;

/** Submits `count` runs at once; seconds until every one has finished. */
async function timedBatch(s: Session, count: number, steps: number): Promise<number> {
  const began = performance.now();
  const ids = new Set(await Promise.all(Array.from({ length: count }, (_, i) => start(s, steps, i))));
  // One list query per poll: the API server shares the cores with the workers being measured.
  const finished = await until(
    `${count} runs to finish`,
    async () => {
      const { runs } = await s.client.data<{ runs: { items: { id: string; status: string }[] } }>(
        'query($t: ID!) { runs(teamId: $t, first: 100) { items { id status } } }',
        { t: s.teamId },
      );
      const ours = runs.items.filter((r) => ids.has(r.id));
      return ours.length === count && ours.every((r) => r.status !== 'QUEUED' && r.status !== 'RUNNING')
        ? ours
        : undefined;
    },
    600_000,
  );
  const seconds = (performance.now() - began) / 1000;
  if (finished.some((r) => r.status !== 'SUCCEEDED'))
    throw new Error(`a bench run did not succeed: ${finished.map((r) => r.status).join(', ')}`);
  return seconds;
}

/**
 * The ceiling for the worker comparison: the same optimisation (seed model, 16 starts, exact polish) through the
 * CLI, one process alone and then two at once, outside any server. Returns 2 × alone / the slower of the
 * pair: 2 when two runs cost no more than one on this machine's cores (other work, and two vCPUs sharing
 * one memory system or physical core, keep it lower).
 */
async function parallelCapacity(steps: number): Promise<number> {
  const cli = fileURLToPath(new URL('../../packages/core/bin/argmax.js', import.meta.url));
  const model = fileURLToPath(
    new URL('../../packages/core/models/fashion-mnist-mlp/model.json', import.meta.url),
  );
  const optimise = (label: string) =>
    new Promise<number>((resolve, reject) => {
      const out = join(tmpdir(), `argmax-bench-${randomUUID()}-${label}.json`);
      const args = [cli, 'optimize', '--model', model, '--target', 'logit:7', '--box', '0,1'];
      args.push('--steps', String(steps), '--restarts', '16', '--out', out);
      const child = spawn(process.execPath, args, { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', async (code) => {
        if (code !== 0) return reject(new Error(`argmax optimize exited with ${code}`));
        const result = JSON.parse(await readFile(out, 'utf8')) as { seconds: number };
        await rm(out, { force: true });
        resolve(result.seconds);
      });
    });
  const alone = await optimise('alone');
  const together = Math.max(...(await Promise.all([optimise('a'), optimise('b')])));
  return (2 * alone) / together;
}

/**
 * One run watched live from its first step: it waits queued behind a blocker until the subscriber is
 * connected. Returns each frame's delay from publication to arrival, sorted.
 */
async function watchedRun(s: Session, steps: number): Promise<number[]> {
  const blocker = await start(s, 100_000, 0);
  const measured = await start(s, steps, 1);
  const { latencies } = await watchFromAnotherProcess(s.server.url, s.token, measured, 1, () => {
    void s.client.data('mutation($r: ID!) { cancelRun(id: $r) { id } }', { r: blocker });
  });
  return latencies.sort((a, b) => a - b);
}
