import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  classSearch,
  datasetPrior,
  loadModel,
  measureRealism,
  type OptimizationResult,
  optimizeForClass,
  optimizeInPrior,
  type Realism,
  realismBounds,
  realismChecks,
  runOptimization,
} from '@argmax/core';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchRow, BenchSuite } from './benchRow.ts';

const seedModel = fileURLToPath(
  new URL('../../packages/core/models/fashion-mnist-mlp/model.json', import.meta.url),
);

/**
 * Issue 16's criteria for `--prior fashion-mnist` on the seed MLP, per class K: probability of K
 * ≥ 0.99; nearest training image between the 5th and 99th percentile of held-out real images' own
 * nearest-training distances; manifold distance ≤ their 99th percentile; every judge says K; logit ≥
 * 0.5 of the box maximum (projected-adam's default answer over [0, 1]). One row per method: the plain
 * box search ("none"), the data subspace, the class subspace, and the class subspace with only the
 * ray towards the class mean (no realism-penalised search). The prior is built fresh into a
 * temporary cache, so its build time is measured too.
 */
export const priorSuite: BenchSuite = {
  name: 'prior',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const cacheDir = await mkdtemp(join(tmpdir(), 'argmax-bench-prior-'));
    const model = await loadModel(seedModel);
    try {
      const { prior } = await datasetPrior('fashion-mnist', {
        cacheDir,
        onProgress: log,
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
          let result: OptimizationResult | undefined;
          for await (const event of optimizeForClass(
            model,
            { objective: { kind: 'logit', index: k }, log: () => {} },
            prior,
            k,
            [0, 1],
          ))
            if (event.type === 'done') result = event.result;
          return result!;
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
        subspace: async (k) => {
          let result: OptimizationResult | undefined;
          for await (const event of optimizeInPrior(
            model,
            { objective: { kind: 'logit', index: k }, log: () => {} },
            prior.subspace,
            [0, 1],
          ))
            if (event.type === 'done') result = event.result;
          return result!;
        },
        'class subspace': (k) => classSubspace(k, true),
        // The same search with only the ray towards the class mean to make answers realistic.
        'class subspace, ray only': (k) => classSubspace(k, false),
      };
      for (const [method, run] of Object.entries(methods)) {
        let passing = 0;
        let ratioSum = 0;
        let seconds = 0;
        let cpuSeconds = 0;
        for (const k of classes) {
          const started = performance.now();
          const cpuStarted = process.cpuUsage();
          const result = await run(k);
          seconds += (performance.now() - started) / 1000;
          const cpu = process.cpuUsage(cpuStarted);
          cpuSeconds += (cpu.user + cpu.system) / 1e6;
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
      return rows;
    } finally {
      model.dispose();
      await rm(cacheDir, { recursive: true, force: true });
    }
  },
};
