import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { defaultAdam, JsAdam, WasmAdam } from './adam.ts';
import { Prng } from './prng.ts';

beforeAll(() => initBackend(undefined, () => {}));

describe.each([
  ['JsAdam', JsAdam],
  ['WasmAdam', WasmAdam],
])('%s', (_, Implementation) => {
  it('follows tf.train.adam step for step', () => {
    const prng = new Prng(5);
    const random = (n: number, scale: number) =>
      Float32Array.from({ length: n }, () => (prng.next() - 0.5) * scale);
    const start = [random(300, 1), random(7, 1)];
    const adam = new Implementation(start, { ...defaultAdam, learningRate: 0.01 });
    const ours = adam.params;
    const variables = start.map((p) => tf.variable(tf.tensor1d(p)));
    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 20; step++) {
      const grads = [random(300, 2), random(7, 0.001)];
      for (const [i, g] of grads.entries()) adam.grads[i]!.set(g);
      adam.apply();
      tf.tidy(() =>
        optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(grads[i]!) }))),
      );
    }
    for (const [i, v] of variables.entries()) {
      const expected = v.dataSync();
      let worst = 0;
      let moved = 0;
      for (let j = 0; j < expected.length; j++) {
        worst = Math.max(worst, Math.abs(expected[j]! - ours[i]![j]!));
        moved = Math.max(moved, Math.abs(expected[j]! - start[i]![j]!));
      }
      expect(worst).toBeLessThan(1e-5);
      // The comparison means something only if the weights really moved (steps of about lr).
      expect(moved).toBeGreaterThan(0.02);
    }
    optimizer.dispose();
    tf.dispose(variables);
  });
});
