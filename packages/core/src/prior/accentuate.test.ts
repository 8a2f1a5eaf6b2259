import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { halvesFixture, mlpLogits } from '../testing/halvesPrior.ts';
import { type AccentuationInfo, accentuate, accentuation } from './accentuate.ts';
import type { PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';

let prior: Prior;
let model: tfl.LayersModel;
let dispose: () => void;

beforeAll(async () => {
  ({ prior, model, dispose } = await halvesFixture());
}, 120_000);
afterAll(() => dispose());

/** Least-squares coordinates of x − offset in the basis rows (normal equations, Gaussian elimination). */
function leastSquares(
  basis: Float32Array,
  rows: number,
  offset: Float32Array,
  x: ArrayLike<number>,
): number[] {
  const size = offset.length;
  const dot = (a: number, b: (j: number) => number) => {
    let s = 0;
    for (let j = 0; j < size; j++) s += basis[a * size + j]! * b(j);
    return s;
  };
  const m = Array.from({ length: rows }, (_, a) => [
    ...Array.from({ length: rows }, (_, b) => dot(a, (j) => basis[b * size + j]!)),
    dot(a, (j) => x[j]! - offset[j]!),
  ]);
  for (let c = 0; c < rows; c++) {
    const p = m
      .slice(c)
      .reduce((best, row, i) => (Math.abs(row[c]!) > Math.abs(m[best]![c]!) ? c + i : best), c);
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < rows; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let q = c; q <= rows; q++) m[r]![q] = m[r]![q]! - f * m[c]![q]!;
    }
  }
  return m.map((row, c) => row[rows]! / row[c]!);
}

describe('accentuate', () => {
  for (const k of [0, 1]) {
    it(`class ${k}: starts from the projection of the highest-scoring training image of the class and stays near it`, async () => {
      // The anchor by brute force: every training image of class k scored from the weights.
      const { train, trainLabels } = prior.realism;
      let anchor = -1;
      let anchorValue = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < train.count; i++) {
        if (trainLabels![i] !== k) continue;
        const v = mlpLogits(model, train.values.subarray(i * 16, (i + 1) * 16))[k]!;
        if (v > anchorValue) [anchor, anchorValue] = [i, v];
      }
      const anchorImage = train.values.subarray(anchor * 16, (anchor + 1) * 16);
      let result: (PriorResult & { accentuation: AccentuationInfo }) | undefined;
      const options = { objective: { kind: 'logit' as const, index: k }, steps: 60, seed: 1 };
      for await (const event of accentuate(model, options, prior, k, [0, 1]))
        if (event.type === 'done') result = event.result as typeof result;
      const { accentuation: info, latent, input, value } = result!;
      expect(info.anchorIndex).toBe(anchor);
      expect(info.anchorValue).toBeCloseTo(anchorValue, 3);

      const { decoder, radius } = prior.classSubspaces![k]!;
      const w0 = leastSquares(decoder.basis, decoder.latent, decoder.offset, anchorImage);
      for (const [i, w] of info.anchorLatent.entries()) expect(w).toBeCloseTo(w0[i]!, 3);
      const distance = Math.hypot(...Array.from(latent, (w, i) => w - w0[i]!));
      expect(distance).toBeLessThanOrEqual(radius * accentuation.radiusFraction * (1 + 1e-4));
      expect(info.radius).toBeCloseTo(radius * accentuation.radiusFraction, 5);

      // The answer is the class subspace decoded at its latent point, and scores at least the search's
      // centre, the anchor's projection w0.
      const decode = (w: ArrayLike<number>) =>
        Array.from(decoder.offset, (o, j) => {
          let v = o;
          for (let i = 0; i < decoder.latent; i++) v += w[i]! * decoder.basis[i * 16 + j]!;
          return Math.min(1, Math.max(0, v));
        });
      const x = decode(latent);
      for (const [j, v] of x.entries()) expect(input[j]).toBeCloseTo(v, 4);
      expect(value).toBeCloseTo(mlpLogits(model, x)[k]!, 3);
      const centreValue = mlpLogits(model, decode(w0))[k]!;
      expect(info.centreValue).toBeCloseTo(centreValue, 3);
      expect(value).toBeGreaterThanOrEqual(centreValue - 1e-4);
      expect(info.improved).toBe(value > info.centreValue);
    }, 120_000);
  }

  it("starts from the user's reference image when given: its own value, its projection the centre", async () => {
    // A reference the prior does not hold: the mean of two class-1 training images, brightened.
    const { train, trainLabels } = prior.realism;
    const rows = Array.from({ length: train.count }, (_, i) => i).filter((i) => trainLabels![i] === 1);
    const reference = Array.from({ length: 16 }, (_, j) =>
      Math.min(1, 0.6 * (train.values[rows[0]! * 16 + j]! + train.values[rows[1]! * 16 + j]!)),
    );
    let result: (PriorResult & { accentuation: AccentuationInfo }) | undefined;
    const options = { objective: { kind: 'logit' as const, index: 1 }, steps: 60, seed: 1 };
    for await (const event of accentuate(model, options, prior, 1, [0, 1], reference))
      if (event.type === 'done') result = event.result as typeof result;
    const { accentuation: info, latent, value } = result!;
    expect(info.anchorIndex).toBeNull();
    expect(info.anchorValue).toBeCloseTo(mlpLogits(model, reference)[1]!, 3);
    const { decoder, radius } = prior.classSubspaces![1]!;
    const w0 = leastSquares(decoder.basis, decoder.latent, decoder.offset, reference);
    for (const [i, w] of info.anchorLatent.entries()) expect(w).toBeCloseTo(w0[i]!, 3);
    expect(Math.hypot(...Array.from(latent, (w, i) => w - w0[i]!))).toBeLessThanOrEqual(
      radius * accentuation.radiusFraction * (1 + 1e-4),
    );
    expect(value).toBeGreaterThanOrEqual(info.centreValue - 1e-4);
    await expect(async () => {
      for await (const _ of accentuate(model, options, prior, 1, [0, 1], [0.5, 0.5])) break;
    }).rejects.toThrow(/reference has 2 values; the prior's images have 16/);
  }, 120_000);
});
