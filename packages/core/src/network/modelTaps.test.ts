import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { fileLoadHandler } from '../models/fileIo.ts';
import { tapModel } from './modelTaps.ts';

const fixture = new URL('../../fixtures/models/tfjs-fashion-mnist-mlp/model.json', import.meta.url).pathname;

beforeAll(async () => {
  await initBackend(undefined, () => {});
});

function closeTo(a: tf.Tensor, b: tf.Tensor, tol = 1e-4): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++)
    expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!)));
}

/** Manual pre-activation of the last Dense layer, from the previous layer's output. */
function manualLogits(model: tfl.LayersModel, x: tf.Tensor, dense: string, before: string): tf.Tensor {
  const hidden = tfl.model({
    inputs: model.inputs,
    outputs: model.getLayer(before).output as tfl.SymbolicTensor,
  });
  const [kernel, bias] = model.getLayer(dense).getWeights();
  return tf.add(tf.matMul(hidden.predict(x) as tf.Tensor2D, kernel as tf.Tensor2D), bias!);
}

describe('tapModel', () => {
  it('finds the logits of a Dense layer with fused softmax (the external fixture model)', async () => {
    const model = await tfl.loadLayersModel(fileLoadHandler(fixture));
    const net = tapModel(model);
    expect(net.head).toBe('softmax');
    expect(net.inputShape).toEqual([28, 28, 1]);
    expect(net.layerNames).toEqual(['flatten_Flatten12', 'nnv_Dense_1', 'nnv_Output']);
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 7);
    const taps = net.run(x, new Set(['nnv_Dense_1']));
    closeTo(taps.head.raw, model.predict(x) as tf.Tensor);
    closeTo(taps.head.logits!, manualLogits(model, x, 'nnv_Output', 'nnv_Dense_1'));
    closeTo(taps.head.probabilities!, tf.softmax(taps.head.logits!));
    expect(taps.layers.get('nnv_Dense_1')!.shape).toEqual([3, 64]);
    net.dispose();
  });

  it('gives the same input gradient as tfjs autograd through the model', async () => {
    const model = await tfl.loadLayersModel(fileLoadHandler(fixture));
    const net = tapModel(model);
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 3);
    const fast = tf.grad((t: tf.Tensor) => tf.sum(tf.slice(net.run(t).head.logits!, [0, 2], [-1, 1])))(x);
    const reference = tf.grad((t: tf.Tensor) =>
      tf.sum(tf.slice(manualLogits(model, t, 'nnv_Output', 'nnv_Dense_1'), [0, 2], [-1, 1])),
    )(x);
    closeTo(fast, reference);
    net.dispose();
  });

  it('takes the logits from the input of a final softmax Activation layer', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [5], units: 4, activation: 'relu', name: 'hidden' }),
        tfl.layers.dense({ units: 3, name: 'scores' }),
        tfl.layers.activation({ activation: 'softmax', name: 'probs' }),
      ],
    });
    const net = tapModel(model);
    expect(net.head).toBe('softmax');
    const x = tf.randomNormal([2, 5], 0, 1, 'float32', 1);
    const taps = net.run(x, new Set(['scores', 'probs']));
    closeTo(taps.head.logits!, taps.layers.get('scores')!);
    closeTo(taps.head.raw, model.predict(x) as tf.Tensor);
    closeTo(taps.layers.get('probs')!, taps.head.raw);
  });

  it('handles a graph that is not a chain (skip connection) with a fused softmax head', () => {
    const input = tfl.input({ shape: [6] });
    const a = tfl.layers
      .dense({ units: 6, activation: 'relu', name: 'a' })
      .apply(input) as tfl.SymbolicTensor;
    const sum = tfl.layers.add({ name: 'sum' }).apply([input, a]) as tfl.SymbolicTensor;
    const out = tfl.layers
      .dense({ units: 4, activation: 'softmax', name: 'out' })
      .apply(sum) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const net = tapModel(model);
    expect(net.head).toBe('softmax');
    const x = tf.randomNormal([3, 6], 0, 1, 'float32', 2);
    const taps = net.run(x, new Set(['a']));
    closeTo(taps.head.logits!, manualLogits(model, x, 'out', 'sum'));
    closeTo(taps.head.raw, model.predict(x) as tf.Tensor);
    expect(taps.layers.get('a')!.shape).toEqual([3, 6]);
    net.dispose();
  });

  it('finds the logits of a fused-softmax layer off the fast path through a linear clone', () => {
    // A Dense layer on a rank-3 input (applied along the last axis) with a fused softmax.
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [2, 4], units: 3, activation: 'softmax', name: 'head' })],
    });
    const net = tapModel(model);
    expect(net.head).toBe('softmax');
    const x = tf.randomNormal([2, 2, 4], 0, 1, 'float32', 5);
    const [kernel, bias] = model.getLayer('head').getWeights();
    const manual = tf.add(
      tf.reshape(tf.matMul(tf.reshape(x, [4, 4]), kernel as tf.Tensor2D), [2, 6]),
      tf.tile(bias!, [2]),
    );
    const taps = net.run(x);
    closeTo(taps.head.logits!, manual);
    closeTo(taps.head.raw, tf.reshape(model.predict(x) as tf.Tensor, [2, 6]));
    const before = tf.memory().numTensors;
    net.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('reports a linear head as its own logits and a tanh head as having none', () => {
    const linear = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2 })] });
    expect(tapModel(linear).head).toBe('linear');
    const tanh = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'tanh' })],
    });
    const net = tapModel(tanh);
    expect(net.head).toBe('other');
    expect(net.headActivation).toBe('tanh');
  });

  it('leaks no tensors', async () => {
    const model = await tfl.loadLayersModel(fileLoadHandler(fixture));
    const x = tf.randomUniform([2, 28, 28, 1]);
    const before = tf.memory().numTensors;
    const net = tapModel(model);
    tf.tidy(() => {
      tf.grad((t: tf.Tensor) => tf.sum(net.run(t, new Set(['nnv_Dense_1'])).head.logits!))(x);
    });
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
