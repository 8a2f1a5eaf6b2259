import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realismBounds } from '../realism/realismCriteria.ts';
import { halvesFixture, halvesShape, mlpLogits } from '../testing/halvesPrior.ts';
import { diversePrototypes } from './diversePrototypes.ts';
import { classSearch, classSearchSubspace } from './optimizeForClass.ts';
import { optimizeInPrior, type PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import { type RefinedPoint, refineRealistic } from './realisticRefine.ts';
import type { SubspacePrior } from './subspacePrior.ts';

const shape = halvesShape;
const size = 16;
let prior: Prior;
let model: tfl.LayersModel;
let dispose: () => void;

beforeAll(async () => {
  ({ prior, model, dispose } = await halvesFixture());
}, 120_000);
afterAll(() => dispose());

/** Checks a refined point independently: in the searched set, decoded by hand, scored from the weights, realistic by brute force. */
function expectRealisticPoint(point: RefinedPoint, subspace: SubspacePrior, k: number) {
  const { latent, input, value } = point;
  const { decoder, lo, hi, radius } = subspace;
  expect(Math.hypot(...latent)).toBeLessThanOrEqual(radius * (1 + 1e-5));
  latent.forEach((w, i) => {
    expect(w).toBeGreaterThanOrEqual(lo[i]! - 1e-5);
    expect(w).toBeLessThanOrEqual(hi[i]! + 1e-5);
  });
  const x = Array.from(decoder.offset, (o, j) => {
    let v = o;
    for (let i = 0; i < decoder.latent; i++) v += latent[i]! * decoder.basis[i * size + j]!;
    return Math.min(1, Math.max(0, v));
  });
  for (const [j, v] of x.entries()) expect(input[j]).toBeCloseTo(v, 5);
  expect(value).toBeCloseTo(mlpLogits(model, x)[k]!, 3);
  // Nearest training image by brute force, within the held-out 5th–99th percentile.
  const train = prior.realism.train;
  let nearest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < train.count; i++) {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += (x[j]! - train.values[i * size + j]!) ** 2;
    nearest = Math.min(nearest, Math.sqrt(sum));
  }
  const bounds = realismBounds(prior.realism);
  expect(nearest).toBeGreaterThanOrEqual(bounds.nearestLow);
  expect(nearest).toBeLessThanOrEqual(bounds.nearestHigh);
  // Every judge says k, from its own forward pass.
  for (const judge of prior.judges) {
    const p = tf.tidy(() =>
      Array.from((judge.model.predict(tf.tensor(x, [1, ...shape])) as tf.Tensor).dataSync()),
    );
    expect(p.indexOf(Math.max(...p))).toBe(k);
  }
}

describe('refineRealistic', () => {
  it('returns a point of the searched set that meets every realism criterion, measured independently', async () => {
    const k = 1;
    const subspace = classSearchSubspace(prior.classSubspaces![k]!, 2.5);
    let found: PriorResult | undefined;
    for await (const event of optimizeInPrior(
      model,
      { objective: { kind: 'logit', index: k }, steps: 40, seed: 1 },
      subspace,
      [0, 1],
    ))
      if (event.type === 'done') found = event.result as PriorResult;
    const weights = [model, ...prior.judges.map((j) => j.model)].map((m) =>
      m.getWeights().map((w) => Array.from(w.dataSync())),
    );
    const tensors = tf.memory().numTensors;
    const starts = [found!.latent, found!.latent.map((w) => w * 0.5)];
    const refined = refineRealistic(
      model,
      { kind: 'logit', index: k },
      prior,
      k,
      subspace,
      [0, 1],
      starts,
    ).find((point) => point !== undefined);
    expect(tf.memory().numTensors).toBe(tensors);
    // Only the latent points moved: no weight of the model or the judges changed.
    expect(
      [model, ...prior.judges.map((j) => j.model)].map((m) =>
        m.getWeights().map((w) => Array.from(w.dataSync())),
      ),
    ).toEqual(weights);

    expect(refined).toBeDefined();
    expectRealisticPoint(refined!, subspace, k);
  }, 120_000);
});

describe('diversePrototypes', () => {
  it('gives several different realistic answers from one search, strongest first', async () => {
    const k = 0;
    const points = await diversePrototypes(
      model,
      { objective: { kind: 'logit', index: k }, seed: 2 },
      prior,
      k,
      [0, 1],
      3,
    );
    expect(points.length).toBeGreaterThanOrEqual(2);
    expect(points.length).toBeLessThanOrEqual(3);
    const subspace = classSearchSubspace(prior.classSubspaces![k]!, classSearch.radiusScales[0]!);
    for (const point of points) expectRealisticPoint(point, subspace, k);
    for (let i = 1; i < points.length; i++)
      expect(points[i]!.value).toBeLessThanOrEqual(points[i - 1]!.value);
    for (let i = 0; i < points.length; i++)
      for (let j = i + 1; j < points.length; j++) {
        const apart = Math.hypot(...Array.from(points[i]!.input, (v, p) => v - points[j]!.input[p]!));
        expect(apart).toBeGreaterThan(1e-3);
      }
  }, 120_000);
});
