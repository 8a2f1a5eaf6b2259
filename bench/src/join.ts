import { createTestDatabase, probePostgres } from '@argmax/db/testing';
import type { ServerConfig } from '@argmax/server/config';
import { startTestServer } from '@argmax/server/testing/testServer';
import type { BenchRow, BenchSuite } from './benchRow.ts';
import { quantile, START, watchFromAnotherProcess } from './server.ts';

/**
 * Late joiners arriving together must not stall those already watching: 10 subscribers watch a running
 * run; once it has stored history, 100 more (another process) join at once, each replaying that history.
 * The row is the worst live-step delay the first 10 saw from the moment the others started joining.
 * Embedded, then PostgreSQL when one answers.
 */
export const joinSuite: BenchSuite = {
  name: 'join',
  async run(context) {
    const rows = await joinStorm('embedded', {}, context);
    const postgres = await probePostgres();
    if (postgres !== null) {
      context.log(`join: PostgreSQL rows skipped: ${postgres}`);
      return rows;
    }
    const database = await createTestDatabase();
    try {
      rows.push(...(await joinStorm('PostgreSQL', { databaseUrl: database.url }, context)));
    } finally {
      await database.drop();
    }
    return rows;
  },
};

async function joinStorm(
  storage: string,
  overrides: Partial<ServerConfig>,
  { quick, log }: { quick: boolean; log: (line: string) => void },
): Promise<BenchRow[]> {
  const joiners = quick ? 20 : 100;
  const history = quick ? 300 : 1500;
  const server = await startTestServer({ maxConcurrentJobs: 1, ...overrides });
  try {
    const { client, teamId } = await server.signUp('bench');
    const { system } = await client.data<{ system: { seedModelId: string } }>('{ system { seedModelId } }');
    const { createApiToken } = await client.data<{ createApiToken: { secret: string } }>(
      'mutation { createApiToken(name: "bench") { secret } }',
    );
    const api = {
      url: server.url,
      token: createApiToken.secret,
      client,
      teamId,
      modelId: system.seedModelId,
    };
    const { startRun } = await api.client.data<{ startRun: { id: string } }>(START, {
      t: api.teamId,
      m: api.modelId,
      steps: 100_000,
    });
    const runId = startRun.id;
    const stepCount = async () =>
      (
        await api.client.data<{ run: { stepCount: number } }>(
          'query($r: ID!) { run(id: $r) { stepCount } }',
          {
            r: runId,
          },
        )
      ).run.stepCount;
    let watchersReady: () => void = () => {};
    const watchersLive = new Promise<void>((resolve) => {
      watchersReady = resolve;
    });
    const watching = watchFromAnotherProcess(api.url, api.token, runId, 10, () => watchersReady());
    await watchersLive;
    while ((await stepCount()) < history) await new Promise((resolve) => setTimeout(resolve, 200));
    const joinFrom = Date.now();
    const joined = watchFromAnotherProcess(api.url, api.token, runId, joiners, () => {
      // Watch the live steps a while longer, then end the run (and both streams).
      setTimeout(
        () => void api.client.data('mutation($r: ID!) { cancelRun(id: $r) { id } }', { r: runId }),
        2000,
      );
    });
    const [before, after] = await Promise.all([watching, joined]);
    const during = before.latencies.filter((_, i) => before.receivedAt[i]! >= after.openedAt);
    const steady = before.latencies.filter((_, i) => before.receivedAt[i]! < joinFrom).sort((a, b) => a - b);
    const worst = Math.max(...during);
    log(
      `server (${storage}): ${joiners} joined after ${history}+ steps in ${after.readyAt - after.openedAt} ms (process start ${after.openedAt - joinFrom} ms); the 10 watching: worst delay ${worst} ms over ${during.length} frames, steady p95 ${quantile(steady, 0.95)} ms; joiners' live p95 ${quantile(
        [...after.latencies].sort((a, b) => a - b),
        0.95,
      )} ms`,
    );
    const c = `${storage}: ${joiners} subscribers joining a running run (${history}+ stored steps), 10 watching`;
    return [
      {
        suite: 'join',
        case: c,
        metric: 'worst live-step delay of those watching',
        value: worst,
        unit: 'ms',
        note: 'goal ≤ 250 ms',
      },
      {
        suite: 'join',
        case: c,
        metric: 'steady p95 before the join',
        value: quantile(steady, 0.95),
        unit: 'ms',
      },
      {
        suite: 'join',
        case: c,
        metric: 'time until all joiners are subscribed',
        value: after.readyAt - after.openedAt,
        unit: 'ms',
      },
    ];
  } finally {
    await server.close();
  }
}
