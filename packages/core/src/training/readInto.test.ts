import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { hasWasmHeap, readInto } from './readInto.ts';

let initial: string;
beforeAll(async () => {
  initial = (await initBackend('wasm', () => {})).name;
});
afterAll(() => tf.setBackend(initial));

describe('readInto', () => {
  it("recognises tfjs-backend-wasm's heap, and copies what dataSync reads there", async () => {
    await tf.setBackend('wasm');
    expect(hasWasmHeap(tf.backend())).toBe(true);
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e3);
    const tensor = tf.tidy(() => tf.mul(tf.tensor1d(values), 2));
    const out = new Float32Array(values.length);
    readInto(out, tensor);
    expect(out).toEqual(tensor.dataSync());
    expect(out[7]).toBe(Math.fround(Math.fround(Math.sin(7) * 1e3) * 2));
    tensor.dispose();
  });

  it('falls back to dataSync on the cpu backend', async () => {
    await tf.setBackend('cpu');
    expect(hasWasmHeap(tf.backend())).toBe(false);
    const tensor = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const out = new Float32Array(4);
    readInto(out, tensor);
    expect([...out]).toEqual([1, 2, 3, 4]);
    tensor.dispose();
  });
});
