import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { optimize, runOptimization } from '../optimize/optimize.ts';
import type { StepEvent } from '../spec/types.ts';
import { loadTestModel, testModelPaths } from '../testing/testModels.ts';

beforeAll(async () => {
  await initBackend(undefined, () => {});
});

describe.each(testModelPaths)('normalized-gradient-ascent (answer 2) on the $name', ({ path }) => {
  it('raises the objective but leaves the box on a substantial fraction of pixels, and says so at every step', async () => {
    const model = await loadTestModel(path);
    const steps: StepEvent[] = [];
    const result = await runOptimization(
      model,
      { objective: { kind: 'prob', index: 3 }, method: 'normalized-gradient-ascent', seed: 1 },
      (e) => steps.push(e),
    );
    expect(result.method).toBe('normalized-gradient-ascent');
    expect(steps).toHaveLength(50);
    expect(result.value).toBeGreaterThan(0.99);
    const outside = result.input.filter((v) => v < 0 || v > 1).length / result.input.length;
    expect(outside).toBeGreaterThan(0.1);
    // The violation is the largest distance outside [0, 1], reported on every step and in the result.
    const worst = Math.max(...result.input.map((v) => (v < 0 ? -v : v - 1)));
    expect(result.violation).toBeCloseTo(worst, 5);
    expect(steps.at(-1)!.violation).toBeCloseTo(worst, 5);
    expect(steps.every((s) => Number.isFinite(s.violation))).toBe(true);
    expect(steps.filter((s) => s.violation > 0).length).toBeGreaterThan(25);
  });

  it('takes L2-normalised steps of the given size', async () => {
    const model = await loadTestModel(path);
    const inputs: Float32Array[] = [];
    for await (const e of optimize(model, {
      objective: { kind: 'logit', index: 0 },
      method: 'normalized-gradient-ascent',
      steps: 4,
      learningRate: 0.5,
      snapshot: () => true,
    })) {
      if (e.type === 'step') inputs.push(e.input!);
    }
    for (let i = 1; i < inputs.length; i++) {
      const distance = Math.hypot(...inputs[i]!.map((v, j) => v - inputs[i - 1]![j]!));
      expect(distance).toBeCloseTo(0.5, 3);
    }
  });

  it('leaks no tensors', async () => {
    const model = await loadTestModel(path);
    await runOptimization(model, {
      objective: { kind: 'logit', index: 2 },
      method: 'normalized-gradient-ascent',
      steps: 3,
    });
    const before = tf.memory().numTensors;
    await runOptimization(model, {
      objective: { kind: 'margin', index: 2 },
      method: 'normalized-gradient-ascent',
      steps: 5,
      restarts: 3,
      returnAllStarts: true,
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
