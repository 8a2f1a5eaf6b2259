import * as tf from '@tensorflow/tfjs-core';
import type { ImageSample } from './imageSample.ts';
import { symmetricEigen } from './symmetricEigen.ts';

/** The leading principal components of a sample. */
export interface PrincipalComponents {
  /** Mean example, `size` values. */
  mean: Float32Array;
  /** Row-major `[count, size]`: unit, orthogonal directions of largest variance, largest first. */
  components: Float32Array;
  /** Variance of the sample along each component (its eigenvalue of the covariance), `count` values. */
  variances: Float32Array;
  /** Total variance of the sample (trace of the covariance): what the components leave is the rest. */
  totalVariance: number;
  count: number;
  size: number;
}

/** Examples per covariance matrix product: keeps one chunk under ~16 MB for 784 inputs. */
const chunkRows = 4096;

/**
 * The `count` leading principal components of `sample`: the covariance (1/N, centred before the
 * products so float32 sums keep their precision) through tfjs matrix products, then an exact
 * symmetric eigen-decomposition in float64.
 */
export function principalComponents(sample: ImageSample, count: number): PrincipalComponents {
  const { size, values } = sample;
  const n = sample.count;
  const mean64 = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    const row = i * size;
    for (let j = 0; j < size; j++) mean64[j] = mean64[j]! + values[row + j]!;
  }
  for (let j = 0; j < size; j++) mean64[j] = mean64[j]! / n;
  const mean = Float32Array.from(mean64);

  const covariance = new Float64Array(size * size);
  const meanRow = tf.tensor2d(mean, [1, size]);
  for (let start = 0; start < n; start += chunkRows) {
    const rows = Math.min(chunkRows, n - start);
    const product = tf.tidy(() => {
      const x = tf.sub(
        tf.tensor2d(values.subarray(start * size, (start + rows) * size), [rows, size]),
        meanRow,
      );
      return tf.matMul(x, x, true, false);
    });
    const chunk = product.dataSync();
    product.dispose();
    for (let i = 0; i < chunk.length; i++) covariance[i] = covariance[i]! + chunk[i]!;
  }
  meanRow.dispose();
  let totalVariance = 0;
  for (let i = 0; i < covariance.length; i++) covariance[i] = covariance[i]! / n;
  for (let j = 0; j < size; j++) totalVariance += covariance[j * size + j]!;

  const kept = Math.min(count, size);
  const eigen = symmetricEigen(covariance, size);
  return {
    mean,
    components: Float32Array.from(eigen.vectors.subarray(0, kept * size)),
    variances: Float32Array.from(eigen.values.subarray(0, kept), (v) => Math.max(0, v)),
    totalVariance,
    count: kept,
    size,
  };
}

/** Coordinates of every example along the components: `[sample.count, pcs.count]`, row-major. */
export function projectOnto(pcs: PrincipalComponents, values: Float32Array, rows: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.sub(tf.tensor2d(values, [rows, pcs.size]), tf.tensor2d(pcs.mean, [1, pcs.size]));
    return tf
      .matMul(x, tf.tensor2d(pcs.components, [pcs.count, pcs.size]), false, true)
      .dataSync() as Float32Array;
  });
}
