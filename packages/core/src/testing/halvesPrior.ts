import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend/initBackend.ts';
import { buildSeedMlp } from '../models/seedMlp.ts';
import { buildPrior } from '../prior/buildPrior.ts';
import type { ImageSample } from '../prior/imageSample.ts';
import type { Prior } from '../prior/prior.ts';

/** The halves data's image shape and values per image. */
export const halvesShape = [4, 4, 1];
const size = 16;

/** Two classes of 4×4 images: a bright left half (0) or right half (1), with seeded noise. */
export function halvesSample(count: number, seed: number): ImageSample {
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
  return { values, count, size, shape: halvesShape, labels };
}

/** A prior of the halves data built in seconds (6 components per class, one small judge). */
export function halvesPrior(): Promise<Prior> {
  return buildPrior(halvesSample(600, 1), halvesSample(200, 2), {
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
}

/** Logits of a `Dense(relu) → Dense(softmax)` model from its weights directly (pre-softmax). */
export function mlpLogits(m: tfl.LayersModel, x: ArrayLike<number>): number[] {
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

/** What the prior's tests search with: the halves prior and a small MLP of its two classes; dispose both after. */
export async function halvesFixture(): Promise<{
  prior: Prior;
  model: tfl.LayersModel;
  dispose: () => void;
}> {
  await initBackend(undefined, () => {});
  const model = buildSeedMlp({ seed: 3, units: 8, inputShape: halvesShape, classes: 2 });
  const prior = await halvesPrior();
  return {
    prior,
    model,
    dispose: () => {
      model.dispose();
      for (const judge of prior.judges) judge.model.dispose();
    },
  };
}
