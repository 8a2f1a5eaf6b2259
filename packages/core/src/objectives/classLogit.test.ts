import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { fileLoadHandler } from '../models/fileIo.ts';
import { tapModel } from '../network/modelTaps.ts';
import { buildObjective } from './buildObjective.ts';

const fixture = new URL('../../fixtures/models/tfjs-fashion-mnist-mlp/model.json', import.meta.url).pathname;

beforeAll(async () => {
  await initBackend(undefined, () => {});
});

describe('classLogit', () => {
  it('equals the manual pre-activation of a Dense layer with fused softmax', async () => {
    const model = await tfl.loadLayersModel(fileLoadHandler(fixture));
    const network = tapModel(model);
    const x = tf.randomUniform([5, 784], 0, 1, 'float32', 11);
    for (const k of [0, 4, 9]) {
      const logit = buildObjective(network, { kind: 'logit', index: k }).evaluate(x).value.arraySync();
      const hidden = tf.relu(
        tf.add(
          tf.matMul(x, model.getLayer('nnv_Dense_1').getWeights()[0] as tf.Tensor2D),
          model.getLayer('nnv_Dense_1').getWeights()[1]!,
        ),
      ) as tf.Tensor2D;
      const [kernel, bias] = model.getLayer('nnv_Output').getWeights();
      const manual = tf.add(tf.matMul(hidden, kernel as tf.Tensor2D), bias!).arraySync() as number[][];
      manual.forEach((row, b) => {
        expect(logit[b]).toBeCloseTo(row[k]!, 4);
      });
      // The softmax of the logits is what the model outputs.
      const probs = model.predict(tf.reshape(x, [5, 28, 28, 1])) as tf.Tensor2D;
      const fromLogits = tf.softmax(tf.tensor2d(manual)).arraySync();
      (probs.arraySync() as number[][]).forEach((row, b) => {
        expect(row[k]).toBeCloseTo(fromLogits[b]![k]!, 5);
      });
    }
    network.dispose();
  });

  it('rejects a class index outside the outputs, naming the valid range', async () => {
    const model = await tfl.loadLayersModel(fileLoadHandler(fixture));
    const network = tapModel(model);
    expect(() => buildObjective(network, { kind: 'logit', index: 10 })).toThrow(
      /objective\.index: received 10; expected an integer class index in \[0, 9\]/,
    );
    expect(() => buildObjective(network, { kind: 'logit', index: 1.5 })).toThrow(/objective\.index/);
    network.dispose();
  });
});
