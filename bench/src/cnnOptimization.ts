import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchRow, BenchSuite } from './benchRow.ts';

const run = promisify(execFile);
const core = (relative: string) => fileURLToPath(new URL(`../../packages/core/${relative}`, import.meta.url));
const cli = core('bin/argmax.js');
const cnn = core('fixtures/models/keras3-fashion-mnist-cnn/fashion_mnist.keras');

interface Outcome {
  value: number;
  steps: number;
  restarts: number;
  budget?: { keepBest?: { after: number; starts: number }[] };
  /** The optimisation alone (R.json's seconds). */
  seconds: number;
  /** The whole command, process start to exit. */
  wall: number;
}

/** `argmax optimize` on the CNN as a user runs it, one process per run, box [0, 1]. */
async function optimize(dir: string, klass: number, extra: string[], env: Record<string, string> = {}) {
  const out = join(dir, `r${klass}-${extra.join('')}-${Object.values(env).join('')}.json`);
  const started = performance.now();
  await run(
    process.execPath,
    [cli, 'optimize', '--model', cnn, '--target', `logit:${klass}`, '--box', '0,1', '--out', out, ...extra],
    { env: { ...process.env, ...env }, maxBuffer: 2 ** 24 },
  );
  const wall = (performance.now() - started) / 1000;
  const record = JSON.parse(await readFile(out, 'utf8')) as Outcome;
  return { ...record, wall };
}

/** What a run did: `128 starts × 80 steps`, with the cuts to the best starts when there were any. */
function describeRun(outcome: Outcome): string {
  const cuts = (outcome.budget?.keepBest ?? []).map((c) => ` → best ${c.starts} after ${c.after}`).join('');
  return `${outcome.restarts} starts${cuts} × ${outcome.steps} steps`;
}

/**
 * The Keras Fashion-MNIST CNN (Conv2D 32 → MaxPool → Conv2D 64 → MaxPool → Dense 128 → Dense 10):
 * - per class, the default run (fitted to the time budget, 4 s) against the settings before the budget
 *   (80 steps × 128 starts), both in this run: wall seconds of the whole command (goal ≤ 5 s on a quiet
 *   2-core machine), value, value ratio (goal ≥ 0.995); both on the wasm threads the CLI picks (2 while
 *   the load average is below the core count, else 1);
 * - one fixed run (20 steps × 64 starts) with the wasm pool at 2 threads and at 1: the speed-up.
 * The load average goes with every row: the machine is shared, so same-run ratios are the figures.
 */
export const cnnOptimizationSuite: BenchSuite = {
  name: 'cnn-optimization',
  async run({ quick, log }) {
    const dir = await mkdtemp(join(tmpdir(), 'argmax-bench-cnn-'));
    const rows: BenchRow[] = [];
    const load = () => `load ${loadavg()[0]!.toFixed(1)}`;
    try {
      const fixed = ['--steps', quick ? '5' : '20', '--restarts', '64'];
      const two = await optimize(dir, 7, fixed, { ARGMAX_WASM_THREADS: '2' });
      const one = await optimize(dir, 7, fixed, { ARGMAX_WASM_THREADS: '1' });
      log(`threads: 2 → ${two.seconds.toFixed(2)} s, 1 → ${one.seconds.toFixed(2)} s (${load()})`);
      rows.push({
        suite: 'cnn-optimization',
        case: `keras cnn, logit:7, ${fixed[1]} steps × 64 starts, wasm 2 threads`,
        metric: 'optimisation time',
        value: two.seconds,
        unit: 's',
        baseline: one.seconds,
        ratio: two.seconds / one.seconds,
        note: `baseline: 1 thread; ${load()}`,
      });
      const classes = quick ? [7] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      for (const klass of classes) {
        const before = await optimize(dir, klass, ['--steps', '80', '--restarts', '128']);
        const now = await optimize(dir, klass, []);
        log(
          `class ${klass}: default ${now.value.toFixed(4)} (${describeRun(now)}, ${now.wall.toFixed(1)} s) vs 128 × 80 ${before.value.toFixed(4)} (${before.wall.toFixed(1)} s) (${load()})`,
        );
        const c = `keras cnn, logit:${klass}, box [0, 1], default (${describeRun(now)})`;
        const note = `baseline: 128 starts × 80 steps; ${load()}`;
        rows.push(
          {
            suite: 'cnn-optimization',
            case: c,
            metric: 'wall time',
            value: now.wall,
            unit: 's',
            baseline: before.wall,
            ratio: now.wall / before.wall,
            note,
          },
          {
            suite: 'cnn-optimization',
            case: c,
            metric: 'value',
            value: now.value,
            unit: 'logit',
            baseline: before.value,
            ratio: now.value / before.value,
            note,
          },
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
