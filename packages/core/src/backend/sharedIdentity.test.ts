import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers tfjs-core's gradient functions (tfjs-core's node bundle registers none).
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './initBackend.ts';
import { shareWasmIdentity } from './sharedIdentity.ts';

let initial: string;
beforeAll(async () => {
  initial = (await initBackend(undefined, () => {})).name;
  await tf.setBackend('wasm');
  shareWasmIdentity();
});
afterAll(() => tf.setBackend(initial));

describe('Identity on wasm sharing its input', () => {
  it('clones onto the same data; either tensor outlives the other; the memory goes with the last', () => {
    const before = tf.memory().numBytes;
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const x = tf.tensor1d(values);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(Array.from(values));
    const z = tf.relu(y);
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual(Array.from(values, (v) => Math.max(0, v)));
    z.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it('leaves a gradient through saved activations as tfjs-backend-cpu computes it', async () => {
    const gradient = () =>
      tf.tidy(() => {
        const x = tf.randomUniform([3, 6, 5, 2], -1, 1, 'float32', 4);
        const filter = tf.randomUniform([3, 3, 2, 4], -1, 1, 'float32', 5) as tf.Tensor4D;
        const f = (input: tf.Tensor) =>
          tf.sum(tf.square(tf.relu(tf.conv2d(input as tf.Tensor4D, filter, 1, 'same'))));
        return tf.grad(f)(x).dataSync() as Float32Array;
      });
    const onWasm = gradient();
    await tf.setBackend('cpu');
    const onCpu = gradient();
    await tf.setBackend('wasm');
    expect(onWasm.length).toBe(onCpu.length);
    onCpu.forEach((v, i) => {
      expect(onWasm[i]).toBeCloseTo(v, 4);
    });
    expect(Math.max(...onCpu.map(Math.abs))).toBeGreaterThan(0.1);
  });
});
