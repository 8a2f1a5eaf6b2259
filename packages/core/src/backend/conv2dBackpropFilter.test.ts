import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers tfjs-core's gradient functions (tfjs-core's node bundle registers none).
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provideConv2dBackpropFilter } from './conv2dBackpropFilter.ts';
import { initBackend } from './initBackend.ts';

let initial: string;
beforeAll(async () => {
  initial = (await initBackend(undefined, () => {})).name;
});
afterAll(() => tf.setBackend(initial));

/** d/dfilter of Σ w ⊙ conv2d(x, filter) on the given backend. */
async function filterGradient(
  backend: string,
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number,
  pad: 'same' | 'valid',
): Promise<Float32Array> {
  await tf.setBackend(backend);
  provideConv2dBackpropFilter();
  return tf.tidy(() => {
    const xs = tf.tensor4d(x.arraySync());
    const weights = tf.randomUniform(tf.conv2d(xs, filter, strides, pad).shape, -1, 1, 'float32', 9);
    const grad = tf.grad((f: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(xs, f as tf.Tensor4D, strides, pad), weights)),
    );
    return grad(tf.tensor4d(filter.arraySync())).dataSync() as Float32Array;
  });
}

describe('Conv2DBackpropFilter in JS', () => {
  it.each([
    [1, 'valid', 3, 3, 1, 4],
    [1, 'same', 3, 3, 2, 5],
    [2, 'same', 5, 5, 3, 2],
    [2, 'valid', 2, 2, 4, 3],
  ] as const)(
    'matches tfjs-backend-cpu (stride %i, %s padding, %i×%i filter, %i → %i channels)',
    async (strides, pad, size, _, inChannels, outChannels) => {
      const x = tf.randomUniform([2, 9, 8, inChannels], -1, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomUniform(
        [size, size, inChannels, outChannels],
        -1,
        1,
        'float32',
        2,
      ) as tf.Tensor4D;
      const expected = await filterGradient('cpu', x, filter, strides, pad);
      // On wasm this is the JS kernel (tfjs-backend-wasm has none); elsewhere the backend's own.
      const actual = await filterGradient(initial, x, filter, strides, pad);
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 4);
      tf.dispose([x, filter]);
    },
  );

  it('matches tfjs-backend-cpu when the batch is split into blocks (29 examples of 64×64×16)', async () => {
    // One im2col block holds 2^24 values: 28 of these examples, so the sums span two blocks.
    const x = tf.randomUniform([29, 64, 64, 16], -1, 1, 'float32', 3) as tf.Tensor4D;
    const filter = tf.randomUniform([3, 3, 16, 1], -1, 1, 'float32', 4) as tf.Tensor4D;
    const expected = await filterGradient('cpu', x, filter, 1, 'same');
    const actual = await filterGradient(initial, x, filter, 1, 'same');
    let worst = 0;
    let largest = 0;
    for (let i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
      largest = Math.max(largest, Math.abs(expected[i]!));
    }
    // Float32 sums of 118,784 terms each, in another order than the cpu backend's.
    expect(worst).toBeLessThan(1e-4 * largest);
    tf.dispose([x, filter]);
  });

  it('fills the gap on wasm only', async () => {
    await tf.setBackend(initial);
    provideConv2dBackpropFilter();
    expect(tf.getKernel('Conv2DBackpropFilter', initial)).toBeDefined();
  });
});
