import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, probePostgres } from '@argmax/db/testing';
import type { ServerConfig } from '@argmax/server/config';
import { startTestServer } from '@argmax/server/testing/testServer';
import type { BenchRow, BenchSuite } from './benchRow.ts';

export const START = `mutation($t: ID!, $m: ID!, $steps: Int!) {
  startRun(teamId: $t, modelId: $m, input: { target: { kind: LOGIT, index: 7 }, steps: $steps, restarts: 16, seed: 1 }) { id } }`;

/** What one subscriber process saw (see scripts/subscribers.ts); times in ms since the epoch. */
export interface Watched {
  latencies: number[];
  receivedAt: number[];
  frames: number;
  openedAt: number;
  readyAt: number;
}

/** Subscribers live in a child process: on 2 cores their parsing must not be billed to the server. */
export function watchFromAnotherProcess(
  url: string,
  token: string,
  runId: string,
  count: number,
  onReady: () => void,
): Promise<Watched> {
  const script = fileURLToPath(new URL('../scripts/subscribers.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, url, token, runId, String(count)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.startsWith('ready\n') && !out.includes('\n', 6)) onReady();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`subscriber process exited with ${code}`));
      else resolve(JSON.parse(last) as Watched);
    });
  });
}

export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * The API under load, all in this process over real HTTP/WebSocket on loopback: how late live steps reach
 * 100 subscribers of one run, how much those subscribers slow the run (its wall time against the same run
 * watched by one subscriber), and requests/s of a typical list query. Once on the embedded database and
 * once on PostgreSQL (when one answers at the test URL). The event loop's delay is logged beside: a stall
 * there (storage, GC) delays every subscriber at once.
 */
export const serverSuite: BenchSuite = {
  name: 'server',
  async run(context) {
    const rows = await measure('embedded', {}, context);
    const postgres = await probePostgres();
    if (postgres !== null) {
      context.log(`server: PostgreSQL rows skipped: ${postgres}`);
      return rows;
    }
    const database = await createTestDatabase();
    try {
      rows.push(...(await measure('PostgreSQL', { databaseUrl: database.url }, context)));
    } finally {
      await database.drop();
    }
    return rows;
  },
};

async function measure(
  storage: string,
  overrides: Partial<ServerConfig>,
  { quick, log }: { quick: boolean; log: (line: string) => void },
): Promise<BenchRow[]> {
  const subscribers = quick ? 20 : 100;
  const steps = quick ? 300 : 1500;
  const server = await startTestServer({ maxConcurrentJobs: 1, ...overrides });
  const rows: BenchRow[] = [];
  try {
    const { client, teamId } = await server.signUp('bench');
    const { system } = await client.data<{ system: { seedModelId: string } }>('{ system { seedModelId } }');
    const m = system.seedModelId;

    const { createApiToken } = await client.data<{ createApiToken: { secret: string } }>(
      'mutation { createApiToken(name: "bench") { secret } }',
    );
    // Subscribers connect while the run is still queued behind a blocker, so the measurement covers a
    // run watched live from its first step to its last.
    const timedRun = async (
      watchers: number,
    ): Promise<{ seconds: number; latencies: number[]; frames: number }> => {
      const blocker = await client.data<{ startRun: { id: string } }>(START, {
        t: teamId,
        m,
        steps: 100_000,
      });
      const { startRun } = await client.data<{ startRun: { id: string } }>(START, { t: teamId, m, steps });
      const { latencies, frames } = await watchFromAnotherProcess(
        server.url,
        createApiToken.secret,
        startRun.id,
        watchers,
        () => {
          void client.data('mutation($r: ID!) { cancelRun(id: $r) { id } }', { r: blocker.startRun.id });
        },
      );
      const { run } = await client.data<{ run: { timings: { optimizeSeconds: number } } }>(
        'query($r: ID!) { run(id: $r) { timings } }',
        {
          r: startRun.id,
        },
      );
      return { seconds: run.timings.optimizeSeconds, latencies: latencies.sort((a, b) => a - b), frames };
    };

    await timedRun(1); // warm-up: worker start, model load
    const baseline = await timedRun(1);
    log(`server (${storage}): 1 subscriber: ${baseline.seconds.toFixed(2)} s for ${steps} steps`);
    // The server's event loop: a stall here (storage writes, GC) delays every subscriber at once.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const loaded = await timedRun(subscribers);
    loopDelay.disable();
    log(
      `server (${storage}): ${subscribers} subscribers: ${loaded.seconds.toFixed(2)} s, ${loaded.frames} frames delivered; event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
    );
    const c = `${storage}: ${subscribers} subscribers, ${steps} steps × 16 starts`;
    rows.push(
      {
        suite: 'server',
        case: c,
        metric: 'step→client latency p50',
        value: quantile(loaded.latencies, 0.5),
        unit: 'ms',
      },
      {
        suite: 'server',
        case: c,
        metric: 'step→client latency p95',
        value: quantile(loaded.latencies, 0.95),
        unit: 'ms',
        note: 'goal ≤ 50 ms',
      },
      {
        suite: 'server',
        case: c,
        metric: 'run wall time',
        value: loaded.seconds,
        unit: 's',
        baseline: baseline.seconds,
        ratio: loaded.seconds / baseline.seconds,
        note: 'baseline: the same run with 1 subscriber; goal ratio ≤ 1.10',
      },
      {
        suite: 'server',
        case: c,
        metric: 'frames per subscriber',
        value: loaded.frames / subscribers,
        unit: 'frames',
      },
    );

    const query =
      'query($t: ID!) { runs(teamId: $t, first: 20) { items { id status value createdAt } nextCursor } }';
    const seconds = quick ? 2 : 5;
    const concurrency = 8;
    let done = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) {
          await client.data(query, { t: teamId });
          done++;
        }
      }),
    );
    rows.push({
      suite: 'server',
      case: `${storage}: runs list, ${concurrency} concurrent clients`,
      metric: 'requests/s',
      value: done / seconds,
      unit: 'req/s',
    });
  } finally {
    await server.close();
  }
  return rows;
}
