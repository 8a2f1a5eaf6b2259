import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { loadFashionMnist } from '../data/fashionMnist.ts';
import { evaluate } from '../training/evaluate.ts';
import { describeModel } from './describeModel.ts';
import { loadModel } from './loadModel.ts';

const seedModel = fileURLToPath(new URL('../../models/fashion-mnist-mlp/', import.meta.url));

beforeAll(() => initBackend(undefined, () => {}));

describe('the committed seed model', () => {
  it('is the tutorial MLP and reaches its recorded test accuracy (≥ 0.88) on the documented split', async () => {
    const model = await loadModel(seedModel);
    const description = describeModel(model);
    expect(description.inputShape).toEqual([28, 28, 1]);
    expect(description.layers.map((l) => [l.className, l.parameters, l.activation])).toEqual([
      ['Flatten', 0, undefined],
      ['Dense', 100_480, 'relu'],
      ['Dense', 1290, 'softmax'],
    ]);
    const recorded = (model.getUserDefinedMetadata() as { argmax: Record<string, unknown> }).argmax;
    expect(recorded).toMatchObject({ dataset: 'fashion-mnist', epochs: 5, seed: 42, batchSize: 32 });
    const { test } = await loadFashionMnist();
    const before = tf.memory().numTensors;
    const measured = evaluate(model, test);
    expect(tf.memory().numTensors).toBe(before);
    expect(measured.accuracy).toBeGreaterThanOrEqual(0.88);
    expect(measured.accuracy).toBeCloseTo(recorded.testAccuracy as number, 3);
  });
});
