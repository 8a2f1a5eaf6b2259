import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers tfjs-core's gradient functions (tfjs-core's node bundle registers none).
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastConv2dBackpropInput } from './conv2dBackpropInput.ts';
import { initBackend } from './initBackend.ts';
import { fastMaxPoolGrad } from './maxPoolGrad.ts';

let initial: string;
beforeAll(async () => {
  initial = (await initBackend(undefined, () => {})).name;
});
afterAll(() => tf.setBackend(initial));

/** d/dx of Σ w ⊙ layer(x) on the given backend (the patches installed where they apply). */
async function inputGradient(
  backend: string,
  x: tf.Tensor4D,
  layer: (x: tf.Tensor4D) => tf.Tensor4D,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  fastConv2dBackpropInput();
  fastMaxPoolGrad();
  return tf.tidy(() => {
    const xs = tf.tensor4d(x.arraySync());
    const weights = tf.randomUniform(layer(xs).shape, -1, 1, 'float32', 9);
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer(input as tf.Tensor4D), weights)));
    return grad(xs).dataSync() as Float32Array;
  });
}

async function expectSameGradient(x: tf.Tensor4D, layer: (x: tf.Tensor4D) => tf.Tensor4D) {
  const expected = await inputGradient('cpu', x, layer);
  const actual = await inputGradient(initial, x, layer);
  expect(actual.length).toBe(expected.length);
  let largest = 0;
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i]).toBeCloseTo(expected[i]!, 4);
    largest = Math.max(largest, Math.abs(expected[i]!));
  }
  // The comparison is not vacuous: the gradient is not all zeros.
  expect(largest).toBeGreaterThan(0.1);
}

describe('Conv2DBackpropInput as a forward convolution', () => {
  it.each([
    [1, 'valid', 3, 1, 4],
    [1, 'same', 3, 2, 5],
    [1, 'same', 4, 3, 2],
    [1, 'valid', 2, 32, 64],
    [2, 'same', 3, 3, 2],
  ] as const)(
    'matches tfjs-backend-cpu (stride %i, %s padding, filter size %i, %i → %i channels)',
    async (strides, pad, size, inChannels, outChannels) => {
      const x = tf.randomUniform([3, 9, 8, inChannels], -1, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomUniform([size, size, inChannels, outChannels], -1, 1, 'float32', 2);
      await expectSameGradient(x, (input) => tf.conv2d(input, filter as tf.Tensor4D, strides, pad));
      tf.dispose([x, filter]);
    },
  );
});

describe('MaxPoolGrad in JS', () => {
  it.each([
    [2, 2, 'valid'],
    [3, 2, 'same'],
    [3, 1, 'valid'],
    [2, 2, 'same'],
  ] as const)(
    'matches tfjs-backend-cpu (pool size %i, stride %i, %s padding)',
    async (size, strides, pad) => {
      const x = tf.randomUniform([2, 9, 7, 5], -1, 1, 'float32', 3) as tf.Tensor4D;
      await expectSameGradient(x, (input) => tf.maxPool(input, size, strides, pad));
      x.dispose();
    },
  );
});
