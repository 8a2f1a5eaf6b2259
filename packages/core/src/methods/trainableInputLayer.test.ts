import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { runOptimization } from '../optimize/optimize.ts';
import type { StepEvent } from '../spec/types.ts';
import { loadTestModel, testModelPaths } from '../testing/testModels.ts';

beforeAll(async () => {
  await initBackend(undefined, () => {});
});

describe.each(testModelPaths)('trainable-input-layer (answer 1) on the $name', ({ path }) => {
  it('trains B images at once and keeps the box with a clipping kernel constraint', async () => {
    const model = await loadTestModel(path);
    const steps: StepEvent[] = [];
    const result = await runOptimization(
      model,
      {
        objective: { kind: 'logit', index: 8 },
        method: 'trainable-input-layer',
        steps: 30,
        restarts: 3,
        returnAllStarts: true,
      },
      (e) => steps.push(e),
    );
    expect(result.method).toBe('trainable-input-layer');
    expect(steps[0]!.objectives).toHaveLength(3);
    expect(result.starts).toHaveLength(3);
    expect(steps.at(-1)!.objective).toBeGreaterThan(steps[0]!.objective);
    for (const step of steps) expect(step.violation).toBe(0);
    expect(Math.min(...result.input)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.input)).toBeLessThanOrEqual(1);
  });

  it('keeps the box with a sigmoid activation instead', async () => {
    const model = await loadTestModel(path);
    const result = await runOptimization(model, {
      objective: { kind: 'prob', index: 2 },
      method: 'trainable-input-layer',
      parameterization: 'sigmoid',
      steps: 20,
      learningRate: 0.5,
    });
    expect(result.violation).toBe(0);
    expect(result.value).toBeGreaterThan(0.5);
  });

  it('reports, rather than hides, the constraints it cannot enforce (an L2 ball)', async () => {
    const model = await loadTestModel(path);
    const reference = new Float32Array(784).fill(0.5);
    const result = await runOptimization(model, {
      objective: { kind: 'logit', index: 8 },
      method: 'trainable-input-layer',
      steps: 20,
      learningRate: 0.1,
      constraints: { l2: { reference, epsilon: 0.5 } },
    });
    const distance = Math.hypot(...result.input.map((v) => v - 0.5));
    expect(distance).toBeGreaterThan(0.5);
    expect(result.violation).toBeCloseTo(distance - 0.5, 4);
  });

  it('leaks no tensors', async () => {
    const model = await loadTestModel(path);
    await runOptimization(model, {
      objective: { kind: 'logit', index: 1 },
      method: 'trainable-input-layer',
      steps: 2,
    });
    const before = tf.memory().numTensors;
    await runOptimization(model, {
      objective: { kind: 'logit', index: 1 },
      method: 'trainable-input-layer',
      steps: 5,
      restarts: 2,
    });
    await runOptimization(model, {
      objective: { kind: 'logit', index: 1 },
      method: 'trainable-input-layer',
      parameterization: 'sigmoid',
      steps: 5,
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
