import * as tf from '@tensorflow/tfjs-core';
import type { Bounds32 } from '../constraints/float32Bounds.ts';

/**
 * A batched clip of `[B, D]` inputs to per-input bounds, built once per run. Uniform bounds use one
 * clipByValue; per-input bounds use relu arithmetic because the wasm backend's Maximum/Minimum are ~30×
 * slower than Add/Relu at this size (measured 6.9 ms vs 0.02 ms with a broadcast row of bounds).
 */
export function boxClip(bounds: Bounds32): { clip: (x: tf.Tensor2D) => tf.Tensor2D; dispose(): void } {
  const { lo, hi } = bounds;
  if (lo.every((v) => v === lo[0]) && hi.every((v) => v === hi[0])) {
    const [l, h] = [lo[0] ?? 0, hi[0] ?? 0];
    return { clip: (x) => tf.clipByValue(x, l, h), dispose: () => {} };
  }
  const loRow = tf.tensor2d(lo, [1, lo.length]);
  const hiRow = tf.tensor2d(hi, [1, hi.length]);
  return {
    // max(x, lo) = lo + relu(x − lo) is exactly lo below it; min(y, hi) = hi − relu(hi − y) likewise.
    clip: (x) =>
      tf.sub(hiRow, tf.relu(tf.sub(hiRow, tf.add(loRow, tf.relu(tf.sub(x, loRow)))))) as tf.Tensor2D,
    dispose: () => tf.dispose([loRow, hiRow]),
  };
}
