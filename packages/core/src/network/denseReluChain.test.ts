import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { extractDenseRelu, spatialLayerOf } from './denseReluChain.ts';
import { forwardLayerGraph } from './layerGraph.ts';

beforeAll(async () => {
  await initBackend('cpu', () => {});
});

const seeded = (seed: number) => ({
  kernelInitializer: tfl.initializers.glorotUniform({ seed }),
  biasInitializer: tfl.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: seed + 50 }),
});

function predict(model: tfl.LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(x, [1, ...shape])) as tf.Tensor).dataSync() as Float32Array);
}

describe('extractDenseRelu (a layer graph viewed as a dense-ReLU chain)', () => {
  it('reads Flatten/Dense/ReLU/Dropout/Activation/Softmax chains; the float64 pass matches tfjs', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [3, 4, 1], name: 'flat' }),
        tfl.layers.dense({ units: 7, activation: 'relu', name: 'd1', ...seeded(1) }),
        tfl.layers.dropout({ rate: 0.5, name: 'drop' }),
        tfl.layers.dense({ units: 6, name: 'd2', ...seeded(2) }),
        tfl.layers.reLU({ name: 'r2' }),
        tfl.layers.reshape({ targetShape: [6], name: 'again' }),
        tfl.layers.dense({ units: 4, name: 'logits', ...seeded(3) }),
        tfl.layers.activation({ activation: 'softmax', name: 'probs' }),
      ],
    });
    const extraction = extractDenseRelu(model);
    if (!('network' in extraction)) throw new Error(extraction.unsupported);
    const { network } = extraction;
    expect(network.inputShape).toEqual([3, 4, 1]);
    expect(network.ops.map((op) => `${op.kind}:${op.layer}`)).toEqual([
      'affine:d1',
      'relu:d1',
      'affine:d2',
      'relu:r2',
      'affine:logits',
    ]);
    expect(network.softmax).toBe(true);
    expect(network.layerOutputs.get('drop')).toBe(1);
    expect(network.layerOutputs.get('probs')).toBe('softmax');

    for (let trial = 0; trial < 5; trial++) {
      const x = Float32Array.from({ length: 12 }, (_, i) => Math.sin(trial * 12 + i * 1.7));
      const logits = forwardLayerGraph(network, x).at(-1)!;
      const softmax = Array.from(logits, (v) => Math.exp(v));
      const total = softmax.reduce((a, b) => a + b, 0);
      const probabilities = predict(model, x, [3, 4, 1]);
      softmax.forEach((v, i) => {
        expect(v / total).toBeCloseTo(probabilities[i]!, 5);
      });
    }
    model.dispose();
  });

  it('treats the output of a fused Dense(softmax) head as logits before the softmax', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 5, inputShape: [3], activation: 'relu', ...seeded(4) }),
        tfl.layers.dense({ units: 3, activation: 'softmax', name: 'head', ...seeded(5) }),
      ],
    });
    const extraction = extractDenseRelu(model);
    if (!('network' in extraction)) throw new Error(extraction.unsupported);
    expect(extraction.network.softmax).toBe(true);
    expect(extraction.network.layerOutputs.get('head')).toBe('softmax');
    expect(extraction.network.ops.at(-1)).toMatchObject({ kind: 'affine', layer: 'head', outSize: 3 });
    model.dispose();
  });

  it.each([
    [
      'tanh',
      () => [tfl.layers.dense({ units: 2, inputShape: [4], activation: 'tanh', name: 'squash' })],
      /squash \(Dense\): activation tanh/,
    ],
    [
      'a conv layer',
      () => [tfl.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1], name: 'conv' })],
      /layer conv: a sparse affine map \(Conv2D.*; supported: /,
    ],
    [
      'a capped ReLU',
      () => [tfl.layers.reLU({ maxValue: 6, inputShape: [4], name: 'relu6' })],
      /relu6 \(ReLU\): maxValue 6/,
    ],
    [
      'Dense on a rank-3 input',
      () => [tfl.layers.dense({ units: 2, inputShape: [3, 4], name: 'wide' })],
      /wide: a sparse affine map .*Dense on a rank > 2 input/,
    ],
  ])('says why it cannot read a model with %s', (_, layers, reason) => {
    const model = tfl.sequential({ layers: layers() });
    expect(extractDenseRelu(model)).toEqual({ unsupported: expect.stringMatching(reason) });
    model.dispose();
  });

  it('refuses graphs that are not a chain', () => {
    const input = tfl.input({ shape: [4] });
    const a = tfl.layers.dense({ units: 3 }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.dense({ units: 3 }).apply(input) as tfl.SymbolicTensor;
    const sum = tfl.layers.add({ name: 'join' }).apply([a, b]) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: sum });
    expect(extractDenseRelu(model)).toEqual({ unsupported: expect.stringMatching(/join has 2 inputs/) });
    model.dispose();
  });

  it('tells a convolution or pooling layer from the classes alone, as extractDenseRelu refuses it', () => {
    const cnn = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1], name: 'conv' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    const mlp = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    const why = spatialLayerOf(cnn);
    expect(why).toMatch(/^layer conv: a sparse affine map/);
    expect(extractDenseRelu(cnn)).toEqual({ unsupported: why });
    expect(spatialLayerOf(mlp)).toBeUndefined();
    expect('network' in extractDenseRelu(mlp)).toBe(true);
    cnn.dispose();
    mlp.dispose();
  });
});
