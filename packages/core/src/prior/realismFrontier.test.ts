import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realismBounds } from '../realism/realismCriteria.ts';
import { halvesFixture, halvesSample, halvesShape, mlpLogits } from '../testing/halvesPrior.ts';
import {
  type ClassSearchInfo,
  classSearch,
  classSearchSubspace,
  optimizeForClass,
} from './optimizeForClass.ts';
import type { PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import { realismFrontier } from './realismFrontier.ts';

const size = 16;
let prior: Prior;
let model: tfl.LayersModel;
let dispose: () => void;

beforeAll(async () => {
  ({ prior, model, dispose } = await halvesFixture());
}, 120_000);
afterAll(() => dispose());

function bruteNearest(x: ArrayLike<number>): number {
  const train = prior.realism.train;
  let nearest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < train.count; i++) {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += (x[j]! - train.values[i * size + j]!) ** 2;
    nearest = Math.min(nearest, Math.sqrt(sum));
  }
  return nearest;
}

describe('realismFrontier', () => {
  it('sweeps the ray from the class mean through the answer to the searched set edge, each point measured independently', async () => {
    const k = 1;
    const scale = 1.6;
    const subspace = classSearchSubspace(prior.classSubspaces![k]!, scale);
    // A latent point well inside the set: the ray goes on beyond it.
    const latent = subspace.hi.map((h) => 0.3 * h);
    // The ray ends at the edge of the largest set the class search may search.
    const largest = classSearchSubspace(prior.classSubspaces![k]!, Math.max(...classSearch.radiusScales));
    const search: ClassSearchInfo = {
      classIndex: k,
      scale,
      radius: subspace.radius,
      rayFraction: 1,
      refined: false,
      realistic: false,
    };
    const points = await realismFrontier(model, { kind: 'logit', index: k }, prior, search, latent, [0, 1]);
    expect(points.length).toBeGreaterThanOrEqual(8);
    expect(points.length).toBeLessThanOrEqual(12);
    expect(points[0]!.t).toBe(0);
    expect(points.some((p) => p.t === 1)).toBe(true);
    expect(points.at(-1)!.t).toBeGreaterThan(1);
    for (let i = 1; i < points.length; i++) expect(points[i]!.t).toBeGreaterThan(points[i - 1]!.t);

    // Strength 0 is the class mean of the training images, averaged here by hand.
    const train = halvesSample(600, 1);
    const mean = new Float64Array(size);
    let count = 0;
    for (let i = 0; i < train.count; i++) {
      if (train.labels![i] !== k) continue;
      count++;
      for (let j = 0; j < size; j++) mean[j]! += train.values[i * size + j]!;
    }
    for (let j = 0; j < size; j++) expect(points[0]!.input[j]).toBeCloseTo(mean[j]! / count, 4);

    const bounds = realismBounds(prior.realism);
    for (const point of points) {
      const w = Array.from(latent, (v) => v * point.t);
      // Inside the largest set: the ball and every coordinate's bounds.
      expect(Math.hypot(...w)).toBeLessThanOrEqual(largest.radius * (1 + 1e-5));
      w.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(largest.lo[i]! - 1e-5);
        expect(v).toBeLessThanOrEqual(largest.hi[i]! + 1e-5);
      });
      const x = Array.from(subspace.decoder.offset, (o, j) => {
        let v = o;
        for (let i = 0; i < w.length; i++) v += w[i]! * subspace.decoder.basis[i * size + j]!;
        return Math.min(1, Math.max(0, v));
      });
      for (const [j, v] of x.entries()) expect(point.input[j]).toBeCloseTo(v, 5);
      expect(point.value).toBeCloseTo(mlpLogits(model, x)[k]!, 3);
      const nearest = bruteNearest(x);
      expect(point.realism.nearestTraining.distance).toBeCloseTo(nearest, 4);
      const judgesSayK = prior.judges.filter((judge) => {
        const p = tf.tidy(() =>
          Array.from((judge.model.predict(tf.tensor(x, [1, ...halvesShape])) as tf.Tensor).dataSync()),
        );
        return p.indexOf(Math.max(...p)) === k;
      }).length;
      expect(point.realism.judgesAgreeing).toBe(judgesSayK);
      expect(point.realistic).toBe(
        nearest >= bounds.nearestLow &&
          nearest <= bounds.nearestHigh &&
          point.realism.manifold.distance <= bounds.manifoldHigh &&
          judgesSayK === prior.judges.length,
      );
    }
    // The last point is on the largest set's edge: its ball or one coordinate's bound.
    const end = Array.from(latent, (v) => v * points.at(-1)!.t);
    const onEdge =
      Math.abs(Math.hypot(...end) - largest.radius) < 1e-4 ||
      end.some((v, i) => Math.abs(v - largest.hi[i]!) < 1e-5 || Math.abs(v - largest.lo[i]!) < 1e-5);
    expect(onEdge).toBe(true);
    // Percentiles grow with the distances they rank.
    for (const measure of ['nearestTraining', 'manifold'] as const) {
      const sorted = points
        .map((p) => p.realism[measure])
        .sort((a, b) => a.distance - b.distance || a.percentile - b.percentile);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]!.percentile).toBeGreaterThanOrEqual(sorted[i - 1]!.percentile);
    }
  });

  it("gives the search's own answer at t = 1", async () => {
    const k = 0;
    let done: (PriorResult & { classSearch: ClassSearchInfo }) | undefined;
    const objective = { kind: 'logit', index: k } as const;
    for await (const event of optimizeForClass(model, { objective, steps: 30, seed: 2 }, prior, k, [0, 1]))
      if (event.type === 'done') done = event.result as typeof done;
    const points = await realismFrontier(model, objective, prior, done!.classSearch, done!.latent, [0, 1]);
    const answer = points.find((p) => p.t === 1)!;
    expect(answer.value).toBeCloseTo(done!.value, 5);
    expect(Array.from(answer.input)).toEqual(Array.from(done!.input));
  }, 120_000);
});
