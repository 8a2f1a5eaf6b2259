import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { InvalidArgumentError, UnsupportedError } from '../errors.ts';
import { fileLoadHandler } from '../models/fileIo.ts';
import { type TappedNetwork, tapModel } from '../network/modelTaps.ts';
import type { ObjectiveSpec } from '../spec/types.ts';
import { buildObjective } from './buildObjective.ts';

const fixture = new URL('../../fixtures/models/tfjs-fashion-mnist-mlp/model.json', import.meta.url).pathname;
let model: tfl.LayersModel;
let network: TappedNetwork;
let x: tf.Tensor2D;
let logits: number[][];
let probs: number[][];

beforeAll(async () => {
  await initBackend(undefined, () => {});
  model = await tfl.loadLayersModel(fileLoadHandler(fixture));
  network = tapModel(model);
  x = tf.randomUniform([4, 784], 0, 1, 'float32', 5) as tf.Tensor2D;
  logits = buildObjective(network, { kind: 'logit', index: 0 }).evaluate(x).head.logits!.arraySync();
  probs = (model.predict(tf.reshape(x, [4, 28, 28, 1])) as tf.Tensor2D).arraySync();
});

const values = (spec: ObjectiveSpec) => buildObjective(network, spec).evaluate(x).value.arraySync();

describe('objectives on the fixture model', () => {
  it('prob is the softmax output and logprob its logarithm', () => {
    const p = values({ kind: 'prob', index: 3 });
    const lp = values({ kind: 'logprob', index: 3 });
    probs.forEach((row, b) => {
      expect(p[b]).toBeCloseTo(row[3]!, 5);
      expect(lp[b]).toBeCloseTo(Math.log(row[3]!), 3);
    });
  });

  it('margin is logit k minus the largest other logit', () => {
    const m = values({ kind: 'margin', index: 7 });
    logits.forEach((row, b) => {
      const others = Math.max(...row.filter((_, i) => i !== 7));
      expect(m[b]).toBeCloseTo(row[7]! - others, 4);
    });
  });

  it('unit reads one unit of a named layer', () => {
    const hidden = tfl.model({
      inputs: model.inputs,
      outputs: model.getLayer('nnv_Dense_1').output as tfl.SymbolicTensor,
    });
    const h = (hidden.predict(tf.reshape(x, [4, 28, 28, 1])) as tf.Tensor2D).arraySync();
    const u = values({ kind: 'unit', layer: 'nnv_Dense_1', index: 5 });
    h.forEach((row, b) => {
      expect(u[b]).toBeCloseTo(row[5]!, 4);
    });
  });

  it('sum weighs its terms', () => {
    const s = values({
      kind: 'sum',
      terms: [
        { weight: 2, objective: { kind: 'logit', index: 1 } },
        { weight: -0.5, objective: { kind: 'prob', index: 2 } },
      ],
    });
    logits.forEach((row, b) => {
      expect(s[b]).toBeCloseTo(2 * row[1]! - 0.5 * probs[b]![2]!, 4);
    });
  });

  it('names the argument, what was received and what is accepted', () => {
    const bad: [ObjectiveSpec, RegExp][] = [
      [
        { kind: 'unit', layer: 'nope', index: 0 },
        /objective\.layer: received "nope"; expected one of the model's layers: flatten_Flatten12, nnv_Dense_1, nnv_Output/,
      ],
      [
        { kind: 'unit', layer: 'nnv_Dense_1', index: 64 },
        /objective\.index: received 64; expected an integer unit index in \[0, 63\]/,
      ],
      [
        { kind: 'bogus' } as unknown as ObjectiveSpec,
        /objective\.kind: received "bogus"; expected one of logit, prob/,
      ],
      [{ kind: 'sum', terms: [] }, /objective\.terms: received an array of length 0/],
      [
        { kind: 'sum', terms: [{ weight: 1, objective: { kind: 'prob', index: -1 } }] },
        /objective\.terms\[0\]\.objective\.index: received -1/,
      ],
      [
        { kind: 'sum', terms: [{ weight: Number.NaN, objective: { kind: 'prob', index: 1 } }] },
        /objective\.terms\[0\]\.weight/,
      ],
    ];
    for (const [spec, message] of bad) {
      expect(() => buildObjective(network, spec)).toThrow(InvalidArgumentError);
      expect(() => buildObjective(network, spec)).toThrow(message);
    }
  });
});

describe('objectives on other heads', () => {
  it('channel is the spatial mean of one conv channel', () => {
    const cnn = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [6, 6, 1],
          filters: 3,
          kernelSize: 3,
          activation: 'relu',
          name: 'conv',
        }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    const net = tapModel(cnn);
    const input = tf.randomUniform([2, 36], 0, 1, 'float32', 9);
    const v = buildObjective(net, { kind: 'channel', layer: 'conv', channel: 2 })
      .evaluate(input)
      .value.arraySync();
    const conv = tfl.model({
      inputs: cnn.inputs,
      outputs: cnn.getLayer('conv').output as tfl.SymbolicTensor,
    });
    const maps = conv.predict(tf.reshape(input, [2, 6, 6, 1])) as tf.Tensor4D;
    const expected = tf
      .mean(tf.slice(maps, [0, 0, 0, 2], [-1, -1, -1, 1]), [1, 2, 3])
      .arraySync() as number[];
    expected.forEach((e, b) => {
      expect(v[b]).toBeCloseTo(e, 5);
    });
    expect(() => buildObjective(net, { kind: 'channel', layer: 'conv', channel: 3 })).toThrow(
      /objective\.channel: received 3; expected an integer channel in \[0, 2\]/,
    );
    net.dispose();
  });

  it('a linear head is its own logits and its probabilities are their softmax', () => {
    const linear = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 4 })] });
    const net = tapModel(linear);
    const input = tf.randomNormal([2, 3], 0, 1, 'float32', 4);
    const raw = (linear.predict(input) as tf.Tensor2D).arraySync();
    const soft = tf.softmax(tf.tensor2d(raw)).arraySync();
    const p = buildObjective(net, { kind: 'prob', index: 1 }).evaluate(input).value.arraySync();
    const l = buildObjective(net, { kind: 'logit', index: 1 }).evaluate(input).value.arraySync();
    raw.forEach((row, b) => {
      expect(l[b]).toBeCloseTo(row[1]!, 5);
      expect(p[b]).toBeCloseTo(soft[b]![1]!, 5);
    });
  });

  it('refuses logits on a head without them', () => {
    const tanh = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'tanh' })],
    });
    const net = tapModel(tanh);
    expect(() => buildObjective(net, { kind: 'logit', index: 0 })).toThrow(UnsupportedError);
    expect(() => buildObjective(net, { kind: 'logit', index: 0 })).toThrow(/applies tanh/);
    const unit = buildObjective(net, { kind: 'unit', layer: tanh.layers[0]!.name, index: 1 });
    expect(unit.evaluate(tf.ones([1, 3])).value.shape).toEqual([1]);
  });
});
