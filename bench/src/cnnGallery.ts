import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { startTestServer } from '@argmax/server/testing/testServer';
import type { BenchRow, BenchSuite } from './benchRow.ts';
import { cpuClock } from './cpuClock.ts';

const CNN = new URL(
  '../../packages/core/fixtures/models/keras3-fashion-mnist-cnn/fashion_mnist.keras',
  import.meta.url,
);

const START = `mutation($t: ID!, $m: ID!, $input: StartRunInput!) { startRun(teamId: $t, modelId: $m, input: $input) { id } }`;
const RUN = `query($id: ID!) { run(id: $id) { status value timings certificate { status upperBound seconds } } }`;

interface RunSeen {
  status: string;
  value: number | null;
  timings: { optimizeSeconds?: number; steps?: number; restarts?: number } | null;
  certificate: { status: string; upperBound: number | null; seconds: number | null } | null;
}

/**
 * What the gallery's "Run all 10 classes" asks for each class on a model without a known dataset (the
 * unconstrained box view): see startAll in apps/web/src/features/gallery/GalleryPage.tsx. `certify`
 * absent: the server's default certificate.
 */
function galleryInput(index: number, steps: number, certify?: { timeLimitSeconds: number }) {
  return {
    target: { kind: 'LOGIT', index },
    steps,
    restarts: 8,
    seed: index + 1,
    ...(certify ? { certify } : {}),
  };
}

/**
 * The gallery on the Keras Fashion-MNIST CNN as the dashboard drives it: one server with the production
 * defaults (a job slot per core, 10 s default certificate), the CNN uploaded, ten runs started at once, and
 * the wall time until every one has finished with its certificate. Once as the gallery asks today (2 s
 * certificates) and once with the server's default certificate. The server runs in this process: the CPU
 * seconds are its own (the bench's polling is a few queries a second). Load average at start and end.
 */
export const cnnGallerySuite: BenchSuite = {
  name: 'cnn-gallery',
  async run({ quick, log }) {
    const steps = quick ? 10 : 200;
    const server = await startTestServer({ defaultCertifySeconds: 10, maxConcurrentJobs: 2 });
    const rows: BenchRow[] = [];
    try {
      const { client, teamId } = await server.signUp('gallery');
      const upload = await client.upload<{ uploadModel: { id: string } }>(
        `mutation($t: ID!, $n: String!, $files: [File!]!) { uploadModel(teamId: $t, name: $n, files: $files) { id } }`,
        { t: teamId, n: 'keras cnn' },
        [{ name: 'fashion_mnist.keras', bytes: new Uint8Array(await readFile(CNN)) }],
      );
      const modelId = upload.data!.uploadModel.id;
      const cases = [
        { name: 'gallery certificate (2 s)', certify: { timeLimitSeconds: 2 } },
        { name: 'default certificate (10 s)', certify: undefined },
      ];
      for (const { name, certify } of cases) {
        const loadBefore = loadavg()[0]!;
        const cpuUsed = cpuClock();
        const started = performance.now();
        const ids: string[] = [];
        for (let index = 0; index < 10; index++) {
          const { startRun } = await client.data<{ startRun: { id: string } }>(START, {
            t: teamId,
            m: modelId,
            input: galleryInput(index, steps, certify),
          });
          ids.push(startRun.id);
        }
        const runs = await Promise.all(ids.map((id) => untilFinished(client, id)));
        const wall = (performance.now() - started) / 1000;
        const cpuSeconds = cpuUsed();
        const load = `load ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} (2 cores)`;
        const failed = runs.filter((r) => r.status !== 'SUCCEEDED' || r.certificate?.upperBound == null);
        const opt = runs.map((r) => r.timings?.optimizeSeconds ?? Number.NaN);
        const cert = runs.map((r) => r.certificate?.seconds ?? Number.NaN);
        log(
          `cnn-gallery ${name}: ${wall.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU, optimise ${opt.map((s) => s.toFixed(1)).join('/')} s, certify ${cert.map((s) => s.toFixed(1)).join('/')} s, ${failed.length} without a bound (${load})`,
        );
        const c = `keras cnn, 10 classes × ${steps} steps × 8 starts, ${name}, 2 job slots`;
        const note = `${load}; ${failed.length} of 10 without a finished bound; goal ≤ 120 s`;
        rows.push(
          {
            suite: 'cnn-gallery',
            case: c,
            metric: 'wall time, all 10 finished',
            value: wall,
            unit: 's',
            note,
          },
          { suite: 'cnn-gallery', case: c, metric: 'server CPU time', value: cpuSeconds, unit: 's', note },
          {
            suite: 'cnn-gallery',
            case: c,
            metric: 'optimisation time per run (mean)',
            value: opt.reduce((a, b) => a + b, 0) / opt.length,
            unit: 's',
            note,
          },
          {
            suite: 'cnn-gallery',
            case: c,
            metric: 'certificate time per run (max)',
            value: Math.max(...cert),
            unit: 's',
            note: `asked ${certify?.timeLimitSeconds ?? 10} s; ${load}`,
          },
        );
      }
    } finally {
      await server.close();
    }
    return rows;
  },
};

async function untilFinished(
  client: { data<T>(query: string, variables: Record<string, unknown>): Promise<T> },
  id: string,
): Promise<RunSeen> {
  for (;;) {
    const { run } = await client.data<{ run: RunSeen }>(RUN, { id });
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
