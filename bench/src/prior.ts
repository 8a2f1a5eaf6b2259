import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  classSearch,
  datasetPrior,
  encodePng,
  imageStrip,
  loadModel,
  measureRealism,
  type OptimizationResult,
  optimizeForClass,
  optimizeInGenerative,
  optimizeInPrior,
  type Realism,
  realismBounds,
  realismChecks,
  runOptimization,
} from '@argmax/core';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchRow, BenchSuite } from './benchRow.ts';
import { cpuClock } from './cpuClock.ts';

const seedModel = fileURLToPath(
  new URL('../../packages/core/models/fashion-mnist-mlp/model.json', import.meta.url),
);

/** The result a search's events end with (each prior's search streams them as `optimize` does). */
async function finalResult(
  events: AsyncIterable<{ type: string; result?: OptimizationResult }>,
): Promise<OptimizationResult> {
  for await (const event of events) if (event.type === 'done' && event.result) return event.result;
  throw new Error('the search ended without a result');
}

/**
 * Issue 16's criteria for `--prior fashion-mnist` on the seed MLP, per class K: probability of K
 * ≥ 0.99; nearest training image between the 5th and 99th percentile of held-out real images' own
 * nearest-training distances; manifold distance ≤ their 99th percentile; every judge says K; logit ≥
 * 0.5 of the box maximum (projected-adam's default answer over [0, 1]). One row per method: the plain
 * box search ("none"), the data subspace, the class subspace, and the class subspace with only the
 * ray towards the class mean (no realism-penalised search), and the learned generative prior (a
 * VAE's latent code, `--prior fashion-mnist:vae`). The prior and its VAE are built fresh into a
 * temporary cache, so their build times are measured too.
 */
export const priorSuite: BenchSuite = {
  name: 'prior',
  async run({ quick, log, outDir }) {
    const rows: BenchRow[] = [];
    const cacheDir = await mkdtemp(join(tmpdir(), 'argmax-bench-prior-'));
    const model = await loadModel(seedModel);
    try {
      const { prior } = await datasetPrior('fashion-mnist', {
        cacheDir,
        onProgress: log,
        generative: true,
        ...(quick ? { limit: { train: 6000, heldOut: 500 } } : {}),
      });
      const buildSeconds = prior.build.seconds;
      const bounds = realismBounds(prior.realism);
      log(
        `prior: held-out nearest 5th/99th ${bounds.nearestLow.toFixed(2)}/${bounds.nearestHigh.toFixed(2)}, residual 99th ${bounds.manifoldHigh.toFixed(2)}`,
      );
      const classes = quick ? [0, 7] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      const boxMax: number[] = [];
      const classSubspace = async (k: number, refine: boolean) => {
        const setting = classSearch.refine;
        classSearch.refine = refine;
        try {
          return await finalResult(
            optimizeForClass(
              model,
              { objective: { kind: 'logit', index: k }, log: () => {} },
              prior,
              k,
              [0, 1],
            ),
          );
        } finally {
          classSearch.refine = setting;
        }
      };
      const methods: Record<string, (k: number) => Promise<OptimizationResult>> = {
        none: async (k) => {
          const result = await runOptimization(model, {
            objective: { kind: 'logit', index: k },
            log: () => {},
          });
          boxMax[k] = result.value;
          return result;
        },
        subspace: (k) =>
          finalResult(
            optimizeInPrior(
              model,
              { objective: { kind: 'logit', index: k }, log: () => {} },
              prior.subspace,
              [0, 1],
            ),
          ),
        'class subspace': (k) => classSubspace(k, true),
        vae: (k) =>
          finalResult(
            optimizeInGenerative(
              model,
              { objective: { kind: 'logit', index: k }, log: () => {} },
              prior,
              k,
              [0, 1],
            ),
          ),
        // The same search with only the ray towards the class mean to make answers realistic.
        'class subspace, ray only': (k) => classSubspace(k, false),
      };
      const answers: Record<string, Float32Array[]> = {};
      for (const [method, run] of Object.entries(methods)) {
        answers[method] = [];
        let passing = 0;
        let ratioSum = 0;
        let seconds = 0;
        let cpuSeconds = 0;
        for (const k of classes) {
          const started = performance.now();
          const cpuUsed = cpuClock();
          const result = await run(k);
          answers[method]![k] = result.input;
          seconds += (performance.now() - started) / 1000;
          cpuSeconds += cpuUsed();
          const probability = tf.tidy(
            () => (model.predict(tf.tensor(result.input, [1, 28, 28, 1])) as tf.Tensor).dataSync()[k]!,
          );
          const realism: Realism = measureRealism(result.input, prior.realism, prior.judges, prior.shape, k);
          const checks = {
            probability: probability >= 0.99,
            ...realismChecks(realism, bounds, prior.judges.length),
            logit: result.value >= 0.5 * boxMax[k]!,
          };
          const pass = Object.values(checks).every(Boolean);
          if (pass) passing++;
          ratioSum += result.value / boxMax[k]!;
          log(
            `prior ${method} class ${k}: logit ${result.value.toFixed(2)} (${(result.value / boxMax[k]!).toFixed(2)} of box), p ${probability.toFixed(4)}, nearest ${realism.nearestTraining.distance.toFixed(2)} (pct ${realism.nearestTraining.percentile.toFixed(1)}), manifold ${realism.manifold.distance.toFixed(2)} (pct ${realism.manifold.percentile.toFixed(1)}), judges ${realism.judges.map((j) => j.label).join('/')}; failing: ${
              Object.entries(checks)
                .filter(([, ok]) => !ok)
                .map(([name]) => name)
                .join(', ') || 'none'
            }`,
          );
        }
        const c = `${method} (seed MLP, ${classes.length} classes)`;
        rows.push(
          {
            suite: 'prior',
            case: c,
            metric: 'classes passing all criteria',
            value: passing,
            unit: 'classes',
          },
          {
            suite: 'prior',
            case: c,
            metric: 'mean logit / box maximum',
            value: ratioSum / classes.length,
            unit: 'ratio',
          },
          { suite: 'prior', case: c, metric: 'time per class', value: seconds / classes.length, unit: 's' },
          {
            suite: 'prior',
            case: c,
            metric: 'CPU time per class',
            value: cpuSeconds / classes.length,
            unit: 's',
            note: 'process user + system: what one quiet core would take',
          },
        );
      }
      const picture = join(outDir, 'prior-gallery.png');
      await writeFile(picture, galleryPicture([answers['class subspace']!, answers.none!], classes));
      log(`wrote ${picture}: the class subspace's answers (top) above the box maxima (bottom)`);
      const vaePicture = join(outDir, 'prior-vae-gallery.png');
      await writeFile(vaePicture, galleryPicture([answers.vae!, answers['class subspace']!], classes));
      log(`wrote ${vaePicture}: the VAE's answers (top) above the class subspace's (bottom)`);
      rows.push({
        suite: 'prior',
        case: 'fashion-mnist prior',
        metric: 'build time',
        value: buildSeconds,
        unit: 's',
        note: `${prior.build.trainExamples} training, ${prior.build.heldOutExamples} held-out examples, ${prior.judges.length} judges`,
      });
      if (prior.build.cpuSeconds !== undefined)
        rows.push({
          suite: 'prior',
          case: 'fashion-mnist prior',
          metric: 'build CPU time',
          value: prior.build.cpuSeconds,
          unit: 's',
          note: 'process user + system (the build is single-threaded)',
        });
      const vae = prior.generative!.build;
      rows.push(
        {
          suite: 'prior',
          case: 'fashion-mnist VAE',
          metric: 'build time',
          value: vae.seconds,
          unit: 's',
          note: `latent ${vae.settings.latent}, hidden ${vae.settings.hidden.join('+')}, ${vae.settings.epochs} epochs over ${vae.trainExamples} examples; reconstruction MSE ${vae.reconstructionError.toFixed(4)}`,
        },
        {
          suite: 'prior',
          case: 'fashion-mnist VAE',
          metric: 'build CPU time',
          value: vae.cpuSeconds,
          unit: 's',
          note: 'process user + system (single-threaded wasm)',
        },
      );
      return rows;
    } finally {
      model.dispose();
      await rm(cacheDir, { recursive: true, force: true });
    }
  },
};

/** Rows of answers (one image per class, 28×28 in [0, 1]) one above another, classes left to right, ×4. */
function galleryPicture(rows: Float32Array[][], classes: number[]): Uint8Array {
  const gap = 2;
  const strips = rows.map((row) =>
    imageStrip(
      classes.map((k) => row[k]!),
      [28, 28],
      gap,
      1,
    ),
  );
  const width = strips[0]!.shape[1]!;
  const height = strips.length * 28 + (strips.length - 1) * gap;
  const values = new Float32Array(height * width).fill(1);
  for (const [i, strip] of strips.entries()) values.set(strip.values, i * (28 + gap) * width);
  return encodePng(values, { shape: [height, width], range: [0, 1], colormap: 'gray', scale: 4 });
}
