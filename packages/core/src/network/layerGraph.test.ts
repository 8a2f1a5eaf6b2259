import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { extractLayerGraph, forwardLayerGraph } from './layerGraph.ts';

beforeAll(async () => {
  await initBackend('cpu', () => {});
});

const init = (seed: number) => ({
  kernelInitializer: tfl.initializers.glorotUniform({ seed }),
  biasInitializer: tfl.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: seed + 50 }),
});

function predict(model: tfl.LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(x, [1, ...shape])) as tf.Tensor).dataSync() as Float32Array);
}

/** Gives a BatchNormalization layer non-trivial statistics (a fresh one is the identity). */
function randomizeBatchNorm(layer: tfl.layers.Layer, seed: number): void {
  const values = layer.getWeights().map((w, i) =>
    tf.tidy(() => {
      const r = tf.randomUniform(w.shape, 0.2, 1.5, 'float32', seed + i);
      return layer.weights[i]!.originalName.endsWith('moving_mean') ? tf.sub(r, 0.8) : r;
    }),
  );
  layer.setWeights(values);
  tf.dispose(values);
}

function expectSameOutputs(model: tfl.LayersModel, softmax: boolean) {
  const extraction = extractLayerGraph(model);
  if (!('graph' in extraction)) throw new Error(extraction.unsupported);
  const { graph } = extraction;
  expect(graph.softmax).toBe(softmax);
  for (let trial = 0; trial < 4; trial++) {
    const x = Float32Array.from({ length: graph.inputSize }, (_, i) => Math.sin(trial * 31 + i * 1.37));
    const logits = forwardLayerGraph(graph, x).at(-1)!;
    const expected = predict(model, x, graph.inputShape);
    let values = Array.from(logits);
    if (softmax) {
      const top = Math.max(...values);
      const exp = values.map((v) => Math.exp(v - top));
      const total = exp.reduce((a, b) => a + b, 0);
      values = exp.map((v) => v / total);
    }
    values.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 4);
    });
  }
  return graph;
}

describe('extractLayerGraph', () => {
  it('reads a CNN with same/valid padding, strides, BatchNormalization, LeakyReLU and both poolings', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [9, 8, 2],
          filters: 3,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          name: 'c1',
          ...init(1),
        }),
        tfl.layers.batchNormalization({ name: 'bn1' }),
        tfl.layers.leakyReLU({ alpha: 0.1, name: 'lr1' }),
        tfl.layers.conv2d({
          filters: 4,
          kernelSize: [2, 3],
          padding: 'valid',
          activation: 'relu',
          name: 'c2',
          ...init(2),
        }),
        tfl.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'mp' }),
        tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same', name: 'ap' }),
        tfl.layers.flatten({ name: 'flat' }),
        tfl.layers.dense({ units: 6, activation: 'relu', name: 'd1', ...init(3) }),
        tfl.layers.dropout({ rate: 0.3, name: 'drop' }),
        tfl.layers.dense({ units: 4, activation: 'softmax', name: 'head', ...init(4) }),
      ],
    });
    randomizeBatchNorm(model.getLayer('bn1'), 7);
    const graph = expectSameOutputs(model, true);
    expect(graph.ops.map((op) => op.kind)).toEqual([
      'affine', // c1 with bn1 folded in
      'leakyRelu',
      'affine',
      'relu',
      'maxPool',
      'affine',
      'affine',
      'relu',
      'affine',
    ]);
    expect(graph.ops[0]!.layer).toBe('c1+bn1');
    expect(graph.layerOutputs.get('head')).toBe('softmax');
    model.dispose();
  });

  it('reads global poolings, a BatchNormalization after a ReLU and a linear head', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [6, 6, 1],
          filters: 3,
          kernelSize: 3,
          activation: 'relu',
          name: 'c',
          ...init(5),
        }),
        tfl.layers.batchNormalization({ name: 'bn' }),
        tfl.layers.globalAveragePooling2d({ name: 'gap' }),
        tfl.layers.dense({ units: 3, name: 'out', ...init(6) }),
      ],
    });
    randomizeBatchNorm(model.getLayer('bn'), 3);
    expectSameOutputs(model, false);
    const maxModel = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [5, 5, 2], filters: 2, kernelSize: 2, name: 'c', ...init(8) }),
        tfl.layers.globalMaxPooling2d({ name: 'gmp' }),
        tfl.layers.dense({ units: 2, name: 'out', ...init(9) }),
      ],
    });
    expectSameOutputs(maxModel, false);
    model.dispose();
    maxModel.dispose();
  });

  it('names what it cannot read', () => {
    const tanh = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'tanh', name: 'squash' })],
    });
    expect(extractLayerGraph(tanh)).toEqual({
      unsupported: expect.stringContaining('squash (Dense): activation tanh'),
    });
    const capped = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [3], units: 2, name: 'd' }),
        tfl.layers.reLU({ maxValue: 6, name: 'r6' }),
      ],
    });
    expect(extractLayerGraph(capped)).toEqual({
      unsupported: expect.stringContaining('r6 (ReLU): maxValue 6'),
    });
    const repeat = tfl.sequential({
      layers: [tfl.layers.repeatVector({ inputShape: [3], n: 2, name: 'rep' })],
    });
    expect(extractLayerGraph(repeat)).toEqual({
      unsupported: expect.stringContaining('rep (RepeatVector) is not supported'),
    });
    const input = tfl.input({ shape: [4] });
    const a = tfl.layers.dense({ units: 3, name: 'a' }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.dense({ units: 3, name: 'b' }).apply(input) as tfl.SymbolicTensor;
    const sum = tfl.layers.add({ name: 'sum' }).apply([a, b]) as tfl.SymbolicTensor;
    const branched = tfl.model({ inputs: input, outputs: sum });
    expect(extractLayerGraph(branched)).toEqual({ unsupported: expect.stringContaining('sum has 2 inputs') });
    for (const m of [tanh, capped, repeat, branched]) m.dispose();
  });
});
