import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from '@argmax/server/config';
import type { ApiClient } from '@argmax/server/testing/apiClient';
import { startTestServer } from '@argmax/server/testing/testServer';
import type { BenchRow, BenchSuite } from './benchRow.ts';
import { quantile } from './server.ts';

const OTHERS_QUERY = '{ me { id email } teams { id name } }';
const VICTIMS = 40;

/** The attacker lives in a child process; resolves its summary once its burst has been answered. */
function attackFromAnotherProcess(
  url: string,
  count: number,
  emails: string[],
  onStart: () => void,
): Promise<{ codes: Record<string, number>; seconds: number }> {
  const script = fileURLToPath(new URL('../scripts/wrongSignIns.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, url, String(count), emails.join(',')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out === 'ready\n') {
        onStart();
        child.stdin.write('go\n');
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`attacker process exited with ${code}`));
      else
        resolve(
          JSON.parse(out.trim().split('\n').at(-1)!) as { codes: Record<string, number>; seconds: number },
        );
    });
  });
}

/** Other users' requests, one loop per user, until `stop` resolves: their latencies in ms, sorted. */
async function othersUntil(users: ApiClient[], stop: Promise<unknown>): Promise<number[]> {
  let stopped = false;
  void stop.finally(() => {
    stopped = true;
  });
  const latencies: number[] = [];
  await Promise.all(
    users.map(async (user) => {
      while (!stopped) {
        const t = performance.now();
        await user.data(OTHERS_QUERY);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

const seconds = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));

/**
 * 1,000 wrong sign-ins sent at once from one client (cycling over 40 real accounts, so each costs a password
 * check) while 8 signed-in users keep making requests: their p95 against the same users on the same server
 * a moment before, quiet. With the defaults (30 failures per client, hashes one at a time, 32 waiting) and,
 * for contrast, with the limits out of the way (as before they existed).
 */
export const signInSuite: BenchSuite = {
  name: 'sign-in',
  async run({ quick, log }) {
    const burst = quick ? 200 : 1000;
    const quietSeconds = quick ? 1 : 4;
    const unlimited: Partial<ServerConfig> = {
      signIn: { accountFailures: 1e9, clientFailures: 1e9, windowSeconds: 900, lockoutSeconds: 900 },
      // libuv's 4 threads hashed at once before, with no queue limit.
      passwordHashes: { concurrency: 4, queue: 1e9 },
    };
    const rows: BenchRow[] = [];
    for (const [name, overrides] of [
      ['limits on (defaults)', {}],
      ['limits off', unlimited],
    ] as const) {
      const server = await startTestServer(overrides);
      try {
        // One after another: sign-ups hash passwords too, through the same bounded queue.
        const victims: string[] = [];
        for (let i = 0; i < VICTIMS; i++) victims.push((await server.signUp('victim')).email);
        const clients: ApiClient[] = [];
        for (let i = 0; i < 8; i++) clients.push((await server.signUp('user')).client);
        await othersUntil(clients, seconds(0.5)); // warm-up
        const quiet = await othersUntil(clients, seconds(quietSeconds));
        let begin = () => {};
        const started = new Promise<void>((resolve) => {
          begin = resolve;
        });
        const attack = attackFromAnotherProcess(server.url, burst, victims, begin);
        await started;
        const attacked = await othersUntil(clients, attack);
        const { codes, seconds: burstSeconds } = await attack;
        log(
          `${name}: ${burst} wrong sign-ins answered in ${burstSeconds.toFixed(2)} s: ${JSON.stringify(codes)}; others: ${quiet.length} requests quiet, ${attacked.length} during the burst`,
        );
        const c = `${name}: ${burst} wrong sign-ins at once, 8 other users`;
        for (const q of [0.5, 0.95])
          rows.push({
            suite: 'sign-in',
            case: c,
            metric: `others' request p${q * 100}`,
            value: quantile(attacked, q),
            unit: 'ms',
            baseline: quantile(quiet, q),
            ratio: quantile(attacked, q) / quantile(quiet, q),
            ...(q === 0.95 && name.startsWith('limits on')
              ? { note: 'baseline: quiet, same run; goal ratio ≤ 2' }
              : {}),
          });
        rows.push(
          { suite: 'sign-in', case: c, metric: 'burst answered in', value: burstSeconds, unit: 's' },
          {
            suite: 'sign-in',
            case: c,
            metric: 'passwords checked (UNAUTHENTICATED)',
            value: codes.UNAUTHENTICATED ?? 0,
            unit: 'tries',
          },
        );
      } finally {
        await server.close();
      }
    }
    return rows;
  },
};
