import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { buildSeedMlp } from '../models/seedMlp.ts';
import { realismBounds } from '../realism/realismCriteria.ts';
import { buildPrior } from './buildPrior.ts';
import type { ImageSample } from './imageSample.ts';
import { classSearchSubspace } from './optimizeForClass.ts';
import { optimizeInPrior, type PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import { refineRealistic } from './realisticRefine.ts';

const shape = [4, 4, 1];
const size = 16;
let prior: Prior;
let model: tfl.LayersModel;

/** Two classes of 4×4 images: a bright left half (0) or right half (1), with seeded noise. */
function sample(count: number, seed: number): ImageSample {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const values = new Float32Array(count * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    for (let j = 0; j < size; j++) {
      const left = j % 4 < 2;
      const bright = left === (labels[i] === 0);
      values[i * size + j] = Math.min(1, Math.max(0, (bright ? 0.7 : 0.2) + 0.5 * (random() - 0.5)));
    }
  }
  return { values, count, size, shape, labels };
}

beforeAll(async () => {
  await initBackend(undefined, () => {});
  model = buildSeedMlp({ seed: 3, units: 8, inputShape: shape, classes: 2 });
  prior = await buildPrior(sample(600, 1), sample(200, 2), {
    name: 'halves',
    box: [0, 1],
    settings: {
      subspace: { latent: 4, boundQuantile: 0.001, radiusQuantile: 0.95 },
      classSubspace: { latent: 6, boundQuantile: 0.001, radiusQuantile: 0.95, examples: 300 },
      realismComponents: 8,
      heldOutExamples: 200,
      covarianceExamples: 600,
      judges: [
        {
          name: 'mlp-6',
          build: (s, classes) => buildSeedMlp({ seed: 9, units: 6, inputShape: s, classes }),
          epochs: 3,
        },
      ],
    },
  });
}, 120_000);
afterAll(() => {
  model.dispose();
  for (const judge of prior.judges) judge.model.dispose();
});

/** Logits from the weights directly (the model's head is a softmax). */
function logits(m: tfl.LayersModel, x: ArrayLike<number>): number[] {
  const [w1, b1, w2, b2] = m.getWeights().map((w) => w.arraySync()) as [
    number[][],
    number[],
    number[][],
    number[],
  ];
  const hidden = b1.map((b, u) =>
    Math.max(
      0,
      Array.from(x).reduce((s, v, j) => s + v * w1[j]![u]!, b),
    ),
  );
  return b2.map((b, c) => hidden.reduce((s, h, u) => s + h * w2[u]![c]!, b));
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
    const refined = refineRealistic(model, { kind: 'logit', index: k }, prior, k, subspace, [0, 1], starts);
    expect(tf.memory().numTensors).toBe(tensors);
    // Only the latent points moved: no weight of the model or the judges changed.
    expect(
      [model, ...prior.judges.map((j) => j.model)].map((m) =>
        m.getWeights().map((w) => Array.from(w.dataSync())),
      ),
    ).toEqual(weights);

    expect(refined).toBeDefined();
    const { latent, input, value } = refined!;
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
    expect(value).toBeCloseTo(logits(model, x)[k]!, 3);
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
  }, 120_000);
});
