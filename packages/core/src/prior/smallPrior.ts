import { buildSeedMlp } from '../models/seedMlp.ts';
import type { BuildPriorOptions } from './buildPrior.ts';

/**
 * A small prior, for tests and demos where the full build (minutes) is too slow: 3,000 training and 300
 * held-out images, 8 data and 6 class components, one small judge. Build it under its own cache name, so it
 * never stands in for a dataset's full prior.
 */
export const smallPriorOptions = {
  limit: { train: 3000, heldOut: 300 },
  settings: {
    subspace: { latent: 8, boundQuantile: 0.001, radiusQuantile: 0.95 },
    classSubspace: { latent: 6, boundQuantile: 0.001, radiusQuantile: 0.95, examples: 300 },
    realismComponents: 12,
    heldOutExamples: 300,
    covarianceExamples: 3000,
    judges: [
      {
        name: 'mlp-32-seed-9',
        build: (shape: number[], classes: number) =>
          buildSeedMlp({ seed: 9, units: 32, inputShape: shape, classes }),
        epochs: 1,
      },
    ],
  },
} satisfies { limit: { train: number; heldOut: number }; settings: BuildPriorOptions['settings'] };
