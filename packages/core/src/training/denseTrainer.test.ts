import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { buildSeedMlp } from '../models/seedMlp.ts';
import { buildSmallCnn } from '../models/smallCnn.ts';
import { defaultAdam } from './adam.ts';
import { denseStackOf } from './denseStack.ts';
import { DenseTrainer } from './denseTrainer.ts';
import { GenericTrainer } from './genericTrainer.ts';
import { Prng } from './prng.ts';

let initial: string;
beforeAll(async () => {
  initial = (await initBackend(undefined, () => {})).name;
});
afterAll(() => tf.setBackend(initial));

function deepMlp(seed: number): tfl.Sequential {
  // Two layers large enough for the tfjs path (including a hidden-to-hidden one), one small.
  return tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.dense({
        units: 96,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      }),
      tfl.layers.dense({
        units: 64,
        activation: 'linear',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
      }),
      tfl.layers.dense({
        units: 40,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }),
      }),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 3 }),
      }),
    ],
  });
}

function batch(n: number, seed: number) {
  const prng = new Prng(seed);
  const x = Float32Array.from({ length: n * 784 }, () => prng.next());
  const xT = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) for (let f = 0; f < 784; f++) xT[f * n + i] = x[i * 784 + f]!;
  const labels = Int32Array.from({ length: n }, () => prng.nextInt(10));
  return { x, xT, labels };
}

/** Gradients of the mean cross-entropy by tfjs autodiff through the model itself. */
function referenceGradients(
  model: tfl.LayersModel,
  x: Float32Array,
  labels: Int32Array,
  n: number,
): Float32Array[] {
  return tf.tidy(() => {
    const input = tf.tensor(x.subarray(0, n * 784), [n, 28, 28, 1]);
    const oneHot = tf.oneHot(tf.tensor1d(labels.subarray(0, n), 'int32'), 10);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => {
      const p = model.apply(input) as tf.Tensor;
      return tf.neg(tf.mean(tf.log(tf.sum(tf.mul(p, oneHot), 1)))) as tf.Scalar;
    }, variables);
    return variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
  });
}

describe('DenseTrainer', () => {
  // On cpu every product runs in the JS loops; elsewhere the large ones run as tfjs ops.
  it.each([
    ['the seed MLP', 'default', () => buildSeedMlp({ seed: 3 })],
    ['a deeper MLP with linear and relu hidden layers', 'default', () => deepMlp(3)],
    ['the seed MLP', 'cpu', () => buildSeedMlp({ seed: 3 })],
    ['a deeper MLP with linear and relu hidden layers', 'cpu', () => deepMlp(3)],
  ])(
    'takes the same Adam steps as tfjs autodiff + tf.train.adam on %s (%s backend)',
    async (_, backend, build) => {
      await tf.setBackend(backend === 'cpu' ? 'cpu' : initial);
      const ours = build();
      const reference = build();
      const stack = denseStackOf(ours);
      if (typeof stack === 'string') throw new Error(stack);
      const dense = new DenseTrainer(ours, stack, 32);
      const generic = new GenericTrainer(reference, defaultAdam);
      for (let step = 0; step < 4; step++) {
        // A short last batch exercises the partial-batch path.
        const n = step === 3 ? 13 : 32;
        const { x, xT, labels } = batch(n, step);
        const expectedGrads = referenceGradients(reference, x, labels, n);
        const a = dense.step(x, xT, labels, n);
        for (const [i, g] of dense.lastGradients().entries()) {
          const e = expectedGrads[i]!;
          let worst = 0;
          let scale = 0;
          for (let j = 0; j < g.length; j++) {
            worst = Math.max(worst, Math.abs(g[j]! - e[j]!));
            scale = Math.max(scale, Math.abs(e[j]!));
          }
          expect(worst / scale).toBeLessThan(1e-4);
        }
        const b = generic.step(x, labels, n);
        expect(a.lossSum / n).toBeCloseTo(b.lossSum / n, 4);
        expect(a.correct).toBe(b.correct);
      }
      dense.writeBack();
      const start = build().getWeights();
      for (const [i, w] of ours.getWeights().entries()) {
        const expected = reference.getWeights()[i]!.dataSync();
        const actual = w.dataSync();
        const initial = start[i]!.dataSync();
        let worst = 0;
        let moved = 0;
        for (let j = 0; j < actual.length; j++) {
          worst = Math.max(worst, Math.abs(actual[j]! - expected[j]!));
          moved = Math.max(moved, Math.abs(actual[j]! - initial[j]!));
        }
        expect(worst).toBeLessThan(1e-5);
        expect(moved).toBeGreaterThan(1e-3);
      }
      generic.dispose();
    },
  );
});

describe('denseStackOf', () => {
  it('accepts the seed MLP and names why other models need the generic loop', () => {
    expect(denseStackOf(buildSeedMlp())).toEqual([
      { name: 'dense', inputs: 784, units: 128, activation: 'relu' },
      { name: 'dense_1', inputs: 128, units: 10, activation: 'softmax' },
    ]);
    expect(denseStackOf(buildSmallCnn())).toBe('layer conv2d is a Conv2D');
    const sigmoidHead = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [4], units: 3, activation: 'sigmoid' })],
    });
    expect(denseStackOf(sigmoidHead)).toMatch(/activation sigmoid/);
    const linearHead = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 })] });
    expect(denseStackOf(linearHead)).toBe('the last layer is not a softmax classifier');
    tf.dispose([...sigmoidHead.getWeights(), ...linearHead.getWeights()]);
  });
});
