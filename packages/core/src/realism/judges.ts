import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageSplit } from '../data/dataset.ts';
import { buildSeedMlp } from '../models/seedMlp.ts';
import { buildSmallCnn } from '../models/smallCnn.ts';
import { train } from '../training/train.ts';

/**
 * Independent classifiers trained on the prior's own data: a result that only fools the model under
 * study (MLPs share blind spots) gets other labels from them. Different architectures and seeds than
 * the seed model (Dense 128, seed 42), so none of them is the model being studied.
 */
export interface Judge {
  name: string;
  model: tfl.LayersModel;
  /** Accuracy on the held-out split after training. */
  testAccuracy?: number;
}

export interface JudgeRecipe {
  name: string;
  build: (shape: number[], classes: number) => tfl.LayersModel;
  epochs: number;
}

export const judgeRecipes: JudgeRecipe[] = [
  {
    name: 'mlp-256-seed-101',
    build: (shape, classes) => buildSeedMlp({ seed: 101, units: 256, inputShape: shape, classes }),
    epochs: 2,
  },
  {
    name: 'mlp-64-seed-202',
    build: (shape, classes) => buildSeedMlp({ seed: 202, units: 64, inputShape: shape, classes }),
    epochs: 2,
  },
  {
    name: 'cnn-seed-303',
    build: (shape, classes) => buildSmallCnn({ seed: 303, inputShape: shape, classes }),
    epochs: 1,
  },
];

export interface JudgeTraining {
  recipes?: JudgeRecipe[];
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

/** Trains every recipe on `data` (bytes over the box), evaluating on `test`. */
export async function trainJudges(
  data: ImageSplit,
  test: ImageSplit,
  shape: number[],
  classes: number,
  options: JudgeTraining = {},
): Promise<Judge[]> {
  const judges: Judge[] = [];
  for (const recipe of options.recipes ?? judgeRecipes) {
    const model = recipe.build(shape, classes);
    let testAccuracy: number | undefined;
    for await (const event of train(model, data, {
      epochs: recipe.epochs,
      seed: 7,
      test,
      progressIntervalMs: 5000,
      log: (line) => options.onProgress?.(line),
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      if (event.type === 'epoch') {
        testAccuracy = event.testAccuracy;
        options.onProgress?.(
          `judge ${recipe.name}: epoch ${event.epoch}/${event.epochs}, test accuracy ${event.testAccuracy?.toFixed(3)} (${event.seconds.toFixed(0)} s)`,
        );
      }
    }
    judges.push({ name: recipe.name, model, ...(testAccuracy !== undefined ? { testAccuracy } : {}) });
  }
  return judges;
}

/** Each judge's label and its probability for the input (`[size]`, the model's flat input order). */
export function judgeLabels(
  judges: Judge[],
  input: Float32Array,
  shape: number[],
): { name: string; label: number; probability: number }[] {
  return judges.map(({ name, model }) => {
    const probabilities = tf.tidy(
      () => (model.predict(tf.tensor(input, [1, ...shape])) as tf.Tensor).dataSync() as Float32Array,
    );
    let label = 0;
    for (let j = 1; j < probabilities.length; j++) if (probabilities[j]! > probabilities[label]!) label = j;
    return { name, label, probability: probabilities[label]! };
  });
}
