import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { evaluateObjective } from '../optimize/evaluateObjective.ts';
import { runOptimization } from '../optimize/optimize.ts';
import type { OptimizeOptions, StepEvent } from '../spec/types.ts';
import { loadTestModel, testModelPaths } from '../testing/testModels.ts';
import { seededRandom } from './random.ts';

beforeAll(async () => {
  await initBackend(undefined, () => {});
});

const random = seededRandom(7);
const reference = Float32Array.from({ length: 784 }, () => Math.round(random() * 255) / 255);
const mean = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0) / x.length;

describe.each(testModelPaths)('projected-adam on the $name', ({ path }) => {
  it('never leaves the box (violation ≤ 1e-6 at every step) and beats answer 2 clipped to the box', async () => {
    const model = await loadTestModel(path);
    const steps: StepEvent[] = [];
    const options: OptimizeOptions = {
      objective: { kind: 'logit', index: 4 },
      steps: 60,
      restarts: 16,
      seed: 2,
      polish: false,
    };
    const result = await runOptimization(model, options, (e) => steps.push(e));
    expect(steps).toHaveLength(60);
    for (const step of steps) expect(step.violation).toBeLessThanOrEqual(1e-6);
    expect(steps.every((s) => s.objectives.length === 16)).toBe(true);
    expect(result.violation).toBeLessThanOrEqual(1e-6);
    expect(Math.min(...result.input)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.input)).toBeLessThanOrEqual(1);
    // The result is the best value seen, at least the last step's best.
    expect(result.value).toBeGreaterThanOrEqual(steps.at(-1)!.objective - 1e-4);

    const answer2 = await runOptimization(model, {
      ...options,
      method: 'normalized-gradient-ascent',
      steps: 50,
      restarts: 1,
    });
    const clipped = Float32Array.from(answer2.input, (v) => Math.min(1, Math.max(0, v)));
    const [clippedAnswer] = await evaluateObjective(model, options.objective, [clipped]);
    expect(result.value).toBeGreaterThan(clippedAnswer!.value);
  });

  it('holds L∞ ∩ box, a fixed mask, a mean-intensity bound and an L2 ball at every step', async () => {
    const model = await loadTestModel(path);
    const fixed = Array.from({ length: 784 }, (_, i) => (i < 28 * 10 ? 1 : 0));
    const cases: OptimizeOptions['constraints'][] = [
      { linf: { reference, epsilon: 0.1 }, mask: { fixed, reference } },
      { linear: [{ weights: 'mean', sense: '<=', bound: 0.2 }] },
      { l2: { reference, epsilon: 2 }, linear: [{ weights: 'mean', sense: '>=', bound: mean(reference) }] },
    ];
    for (const constraints of cases) {
      const steps: StepEvent[] = [];
      const result = await runOptimization(
        model,
        { objective: { kind: 'logit', index: 1 }, constraints, steps: 15, restarts: 4, polish: false },
        (e) => steps.push(e),
      );
      for (const step of steps) expect(step.violation).toBeLessThanOrEqual(1e-6);
      const x = result.input;
      if (constraints?.linf) {
        x.forEach((v, i) => {
          expect(Math.abs(v - reference[i]!)).toBeLessThanOrEqual(0.1 + 1e-6);
          if (fixed[i]) expect(v).toBeCloseTo(reference[i]!, 6);
        });
      }
      if (constraints?.linear?.[0]?.sense === '<=') expect(mean(x)).toBeLessThanOrEqual(0.2 + 1e-6);
      if (constraints?.l2) {
        expect(Math.hypot(...x.map((v, i) => v - reference[i]!))).toBeLessThanOrEqual(2 + 1e-6);
        expect(mean(x)).toBeGreaterThanOrEqual(mean(reference) - 1e-6);
      }
    }
  });

  it('is deterministic for a seed and returns every start on request', async () => {
    const model = await loadTestModel(path);
    const options: OptimizeOptions = {
      objective: { kind: 'margin', index: 6 },
      steps: 10,
      restarts: 5,
      seed: 11,
      polish: false,
    };
    const a = await runOptimization(model, { ...options, returnAllStarts: true });
    const b = await runOptimization(model, options);
    expect(Array.from(a.input)).toEqual(Array.from(b.input));
    expect(a.starts).toHaveLength(5);
    expect(Math.max(...a.starts!.map((s) => s.value))).toBeCloseTo(a.value, 4);
    for (const start of a.starts!) expect(start.violation).toBeLessThanOrEqual(1e-6);
  });

  it('stays inside with the sigmoid and Fourier parameterisations and the regularisers', async () => {
    const model = await loadTestModel(path);
    const variants: Partial<OptimizeOptions>[] = [
      { parameterization: 'sigmoid' },
      { parameterization: 'fourier', regularizers: { tv: 0.1 } },
      {
        parameterization: 'sigmoid',
        constraints: { linear: [{ weights: 'mean', sense: '<=', bound: 0.3 }] },
      },
      { regularizers: { l2: 0.5, tv: 0.5, blur: 0.8, blurEvery: 2, jitter: 2 } },
    ];
    for (const variant of variants) {
      const steps: StepEvent[] = [];
      const result = await runOptimization(
        model,
        { objective: { kind: 'logit', index: 7 }, steps: 12, restarts: 3, polish: false, ...variant },
        (e) => steps.push(e),
      );
      for (const step of steps) expect(step.violation).toBeLessThanOrEqual(1e-6);
      expect(steps.at(-1)!.objective).toBeGreaterThan(steps[0]!.objective);
      expect(Number.isFinite(result.value)).toBe(true);
    }
  });

  it('leaks no tensors', async () => {
    const model = await loadTestModel(path);
    await runOptimization(model, { objective: { kind: 'logit', index: 0 }, steps: 2, polish: false });
    const before = tf.memory().numTensors;
    await runOptimization(model, {
      objective: { kind: 'logit', index: 0 },
      steps: 5,
      restarts: 4,
      returnAllStarts: true,
    });
    await runOptimization(model, {
      objective: { kind: 'prob', index: 0 },
      steps: 5,
      restarts: 2,
      parameterization: 'fourier',
      regularizers: { tv: 1, blur: 1, jitter: 1, l2: 1 },
      constraints: { l2: { reference, epsilon: 3 } },
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
