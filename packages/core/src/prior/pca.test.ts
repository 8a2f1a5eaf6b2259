import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { Prng } from '../training/prng.ts';
import { principalComponents, projectOnto } from './pca.ts';

beforeAll(async () => {
  await initBackend(undefined, () => {});
});

/** Leading eigenvector of a symmetric matrix by power iteration (the independent computation). */
function powerIteration(matrix: Float64Array, n: number): { value: number; vector: Float64Array } {
  let v = Float64Array.from({ length: n }, (_, i) => 1 + i / n);
  let value = 0;
  for (let iteration = 0; iteration < 2000; iteration++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) next[i] = next[i]! + matrix[i * n + j]! * v[j]!;
    value = Math.hypot(...next);
    v = next.map((x) => x / value);
  }
  return { value, vector: v };
}

describe('principalComponents', () => {
  // Known structure: 3 orthonormal directions with standard deviations 5, 3, 1, plus isotropic noise 0.1.
  const size = 12;
  const count = 4000;
  const prng = new Prng(3);
  const gaussian = () => {
    const u = Math.max(prng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.next());
  };
  const directions = [0, 1, 2].map((k) => {
    const d = Float64Array.from({ length: size }, (_, j) => Math.cos((Math.PI * (k + 1) * (j + 0.5)) / size));
    const norm = Math.hypot(...d);
    return d.map((x) => x / norm);
  });
  const scales = [5, 3, 1];
  const mean = Float64Array.from({ length: size }, (_, j) => j / 10);
  const values = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const a = scales.map((s) => s * gaussian());
    for (let j = 0; j < size; j++) {
      let x = mean[j]! + 0.1 * gaussian();
      for (let k = 0; k < 3; k++) x += a[k]! * directions[k]![j]!;
      values[i * size + j] = x;
    }
  }
  const sample = { values, count, size, shape: [size] };

  it('finds the planted directions and variances', () => {
    const pcs = principalComponents(sample, 3);
    for (let k = 0; k < 3; k++) {
      let dot = 0;
      for (let j = 0; j < size; j++) dot += pcs.components[k * size + j]! * directions[k]![j]!;
      expect(Math.abs(dot)).toBeGreaterThan(0.999);
      expect(Math.sqrt(pcs.variances[k]!) / scales[k]!).toBeCloseTo(1, 1);
    }
  });

  it('agrees with power iteration and deflation on the sample covariance', () => {
    const pcs = principalComponents(sample, 4);
    // The covariance computed here directly, in float64.
    const m = new Float64Array(size);
    for (let i = 0; i < count; i++)
      for (let j = 0; j < size; j++) m[j] = m[j]! + values[i * size + j]! / count;
    const cov = new Float64Array(size * size);
    for (let i = 0; i < count; i++)
      for (let a = 0; a < size; a++)
        for (let b = 0; b < size; b++)
          cov[a * size + b] =
            cov[a * size + b]! + ((values[i * size + a]! - m[a]!) * (values[i * size + b]! - m[b]!)) / count;
    for (let k = 0; k < 4; k++) {
      const { value, vector } = powerIteration(cov, size);
      expect(pcs.variances[k]).toBeCloseTo(value, 3);
      let dot = 0;
      for (let j = 0; j < size; j++) dot += pcs.components[k * size + j]! * vector[j]!;
      if (k < 3) expect(Math.abs(dot)).toBeGreaterThan(0.9999);
      for (let a = 0; a < size; a++)
        for (let b = 0; b < size; b++)
          cov[a * size + b] = cov[a * size + b]! - value * vector[a]! * vector[b]!;
    }
  });

  it('reconstructs the sample with the residual the dropped variance predicts', () => {
    const pcs = principalComponents(sample, 3);
    const coordinates = projectOnto(pcs, values, count);
    let residual = 0;
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < size; j++) {
        let x = pcs.mean[j]!;
        for (let k = 0; k < 3; k++) x += coordinates[i * 3 + k]! * pcs.components[k * size + j]!;
        residual += (values[i * size + j]! - x) ** 2;
      }
    }
    // Only the isotropic noise is left: (size − 3) dimensions of variance 0.01.
    expect(residual / count / ((size - 3) * 0.01)).toBeCloseTo(1, 1);
    let kept = 0;
    for (let k = 0; k < 3; k++) kept += pcs.variances[k]!;
    expect(residual / count).toBeCloseTo(pcs.totalVariance - kept, 4);
  });
});
