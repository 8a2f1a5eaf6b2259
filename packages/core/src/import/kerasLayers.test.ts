/**
 * Layer coverage: a Keras 3 functional model and a Keras 2 nested Sequential, written in the tests
 * in the exact JSON/HDF5 layouts Keras uses, imported, and compared with the same network built
 * directly with the tfjs layers API and the same weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { maxAbsDiff } from '../testing/referenceOps.ts';
import { writeHdf5, writeKerasArchive } from '../testing/testSupport.ts';
import { importModel } from './importModel.ts';
import { deterministicInput } from './verifyModel.ts';

type Weights = Record<string, { values: Float32Array; shape: number[] }[]>;

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Random weights of the given shapes; BatchNormalization variances (kinds ending in `var`) positive. */
function makeWeights(shapes: Record<string, [string, number[]][]>, seed: number): Weights {
  const next = random(seed);
  return Object.fromEntries(
    Object.entries(shapes).map(([layer, list]) => [
      layer,
      list.map(([kind, shape]) => ({
        shape,
        values: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () =>
          kind.endsWith('var') ? 0.5 + next() : (next() - 0.5) * 0.6,
        ),
      })),
    ]),
  );
}

// ---- Keras 3 functional model -------------------------------------------------------------------
const policy = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};
const init = {
  module: 'keras.initializers',
  class_name: 'GlorotUniform',
  config: { seed: null },
  registered_name: null,
};
const kt = (layer: string, node = 0, index = 0) => ({
  class_name: '__keras_tensor__',
  config: { shape: [], dtype: 'float32', keras_history: [layer, node, index] },
});
const call = (...inputs: string[]) => [
  { args: inputs.length === 1 ? [kt(inputs[0] as string)] : [inputs.map((i) => kt(i))], kwargs: {} },
];
const k3 = (className: string, name: string, config: object, inbound: unknown[] | undefined) => ({
  module: 'keras.layers',
  class_name: className,
  config: { name, trainable: true, dtype: policy, kernel_initializer: init, ...config },
  registered_name: null,
  build_config: { input_shape: [null, 1] },
  ...(inbound ? { name, inbound_nodes: inbound } : {}),
});
const inputLayer = (name: string, shape: number[], functional = true) => ({
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { batch_shape: [null, ...shape], dtype: 'float32', sparse: false, name },
  registered_name: null,
  ...(functional ? { name, inbound_nodes: [] } : {}),
});

const keras3Config = {
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name: 'coverage',
    trainable: true,
    layers: [
      inputLayer('image', [8, 8, 3]),
      inputLayer('extra', [4]),
      k3(
        'Conv2D',
        'conv_a',
        {
          filters: 6,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: 'same',
          data_format: 'channels_last',
          dilation_rate: [1, 1],
          groups: 1,
          activation: 'relu',
          use_bias: true,
        },
        call('image'),
      ),
      k3(
        'BatchNormalization',
        'bn',
        { axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true },
        call('conv_a'),
      ),
      k3('LeakyReLU', 'leaky', { negative_slope: 0.1 }, call('bn')),
      k3(
        'DepthwiseConv2D',
        'dw',
        {
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: 'same',
          depth_multiplier: 2,
          data_format: 'channels_last',
          dilation_rate: [1, 1],
          activation: 'leaky_relu',
          use_bias: true,
        },
        call('leaky'),
      ),
      k3(
        'MaxPooling2D',
        'pool',
        { pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' },
        call('dw'),
      ),
      k3(
        'UpSampling2D',
        'up',
        { size: [2, 2], data_format: 'channels_last', interpolation: 'nearest' },
        call('pool'),
      ),
      k3(
        'ZeroPadding2D',
        'pad',
        {
          padding: [
            [1, 1],
            [1, 1],
          ],
          data_format: 'channels_last',
        },
        call('up'),
      ),
      k3(
        'Conv2D',
        'conv_b',
        {
          filters: 12,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: 'valid',
          data_format: 'channels_last',
          dilation_rate: [1, 1],
          groups: 1,
          activation: 'linear',
          use_bias: false,
        },
        call('pad'),
      ),
      k3('Add', 'add', {}, call('up', 'conv_b')),
      k3('Activation', 'act', { activation: 'tanh' }, call('add')),
      k3(
        'Conv2DTranspose',
        'deconv',
        {
          filters: 4,
          kernel_size: [3, 3],
          strides: [2, 2],
          padding: 'same',
          data_format: 'channels_last',
          dilation_rate: [1, 1],
          output_padding: null,
          activation: 'sigmoid',
          use_bias: true,
        },
        call('act'),
      ),
      k3(
        'AveragePooling2D',
        'avg',
        { pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' },
        call('deconv'),
      ),
      k3('ReLU', 'relu6', { max_value: 6, negative_slope: 0, threshold: 0 }, call('avg')),
      k3('Activation', 'act_leaky', { activation: 'leaky_relu' }, call('relu6')),
      k3(
        'GlobalAveragePooling2D',
        'gap',
        { data_format: 'channels_last', keepdims: false },
        call('act_leaky'),
      ),
      k3('GlobalMaxPooling2D', 'gmp', { data_format: 'channels_last', keepdims: false }, call('act')),
      k3('Concatenate', 'concat', { axis: -1 }, call('gap', 'gmp', 'extra')),
      {
        module: 'keras',
        class_name: 'Sequential',
        config: {
          name: 'head',
          trainable: true,
          dtype: policy,
          layers: [
            inputLayer('head_input', [20], false),
            k3('Dense', 'head_dense', { units: 16, activation: 'relu', use_bias: true }, undefined),
            k3('Dropout', 'head_dropout', { rate: 0.5, seed: null, noise_shape: null }, undefined),
            k3('Dense', 'head_leaky', { units: 8, activation: 'leaky_relu', use_bias: true }, undefined),
          ],
        },
        registered_name: null,
        build_config: { input_shape: [null, 20] },
        name: 'head',
        inbound_nodes: call('concat'),
      },
      k3('Reshape', 'reshape', { target_shape: [2, 4] }, call('head')),
      k3('Flatten', 'flat', { data_format: 'channels_last' }, call('reshape')),
      k3('Dense', 'logits', { units: 5, activation: 'linear', use_bias: true }, call('flat')),
      k3('Softmax', 'probs', { axis: -1 }, call('logits')),
    ],
    input_layers: [
      ['image', 0, 0],
      ['extra', 0, 0],
    ],
    output_layers: [
      ['probs', 0, 0],
      ['gap', 0, 0],
    ],
  },
  registered_name: 'Functional',
  build_config: { input_shape: null },
};

const keras3Weights = makeWeights(
  {
    conv_a: [
      ['kernel', [3, 3, 3, 6]],
      ['bias', [6]],
    ],
    bn: [
      ['gamma', [6]],
      ['beta', [6]],
      ['moving_mean', [6]],
      ['moving_var', [6]],
    ],
    dw: [
      ['depthwise_kernel', [3, 3, 6, 2]],
      ['bias', [12]],
    ],
    conv_b: [['kernel', [3, 3, 12, 12]]],
    deconv: [
      ['kernel', [3, 3, 4, 12]],
      ['bias', [4]],
    ],
    'head/head_dense': [
      ['kernel', [20, 16]],
      ['bias', [16]],
    ],
    'head/head_leaky': [
      ['kernel', [16, 8]],
      ['bias', [8]],
    ],
    logits: [
      ['kernel', [8, 5]],
      ['bias', [5]],
    ],
  },
  7,
);

function keras3Reference(): tfl.LayersModel {
  const L = tfl.layers;
  const image = tfl.input({ shape: [8, 8, 3], name: 'image' });
  const extra = tfl.input({ shape: [4], name: 'extra' });
  const layers: Record<string, tfl.layers.Layer> = {
    conv_a: L.conv2d({ name: 'conv_a', filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
    bn: L.batchNormalization({ name: 'bn', epsilon: 0.001 }),
    dw: L.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
    conv_b: L.conv2d({ name: 'conv_b', filters: 12, kernelSize: 3, useBias: false }),
    deconv: L.conv2dTranspose({
      name: 'deconv',
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'sigmoid',
    }),
    'head/head_dense': L.dense({ name: 'head_dense', units: 16, activation: 'relu' }),
    'head/head_leaky': L.dense({ name: 'head_leaky', units: 8 }),
    logits: L.dense({ name: 'logits', units: 5 }),
  };
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) =>
    layer.apply(x) as tfl.SymbolicTensor;
  let x = apply(layers.conv_a as tfl.layers.Layer, image);
  x = apply(layers.bn as tfl.layers.Layer, x);
  x = apply(L.leakyReLU({ alpha: 0.1 }), x);
  x = apply(L.leakyReLU({ alpha: 0.2 }), apply(layers.dw as tfl.layers.Layer, x));
  const up = apply(L.upSampling2d({ size: [2, 2] }), apply(L.maxPooling2d({ poolSize: 2 }), x));
  const convB = apply(layers.conv_b as tfl.layers.Layer, apply(L.zeroPadding2d({ padding: 1 }), up));
  const act = apply(L.activation({ activation: 'tanh' }), apply(L.add(), [up, convB]));
  let y = apply(layers.deconv as tfl.layers.Layer, act);
  y = apply(L.reLU({ maxValue: 6 }), apply(L.averagePooling2d({ poolSize: 2 }), y));
  const gap = apply(L.globalAveragePooling2d({}), apply(L.leakyReLU({ alpha: 0.2 }), y));
  const gmp = apply(L.globalMaxPooling2d({}), act);
  let h = apply(L.concatenate(), [gap, gmp, extra]);
  h = apply(layers['head/head_dense'] as tfl.layers.Layer, h);
  h = apply(L.leakyReLU({ alpha: 0.2 }), apply(layers['head/head_leaky'] as tfl.layers.Layer, h));
  h = apply(L.flatten(), apply(L.reshape({ targetShape: [2, 4] }), h));
  const probs = apply(L.softmax(), apply(layers.logits as tfl.layers.Layer, h));
  const model = tfl.model({ inputs: [image, extra], outputs: [probs, gap] });
  for (const [name, layer] of Object.entries(layers)) setWeights(layer, keras3Weights[name]);
  return model;
}

/**
 * Where Keras 3 saves each layer: its class in snake case, numbered per class in model.layers order
 * (conv_a feeds conv_b, so conv_a is conv2d and conv_b conv2d_1); the nested Sequential's layers below it.
 */
const keras3Paths: Record<string, string> = {
  conv_a: 'layers/conv2d',
  bn: 'layers/batch_normalization',
  dw: 'layers/depthwise_conv2d',
  conv_b: 'layers/conv2d_1',
  deconv: 'layers/conv2d_transpose',
  'head/head_dense': 'layers/sequential/layers/dense',
  'head/head_leaky': 'layers/sequential/layers/dense_1',
  logits: 'layers/dense',
};

async function keras3File(): Promise<Uint8Array> {
  const datasets = Object.entries(keras3Weights).flatMap(([name, list]) =>
    list.map((w, i) => ({ path: `${keras3Paths[name]}/vars/${i}`, ...w })),
  );
  // Optimizer state is stored beside the layers and must be ignored.
  datasets.push({ path: 'optimizer/vars/0', values: Float32Array.of(3), shape: [1] });
  return writeKerasArchive({ config: keras3Config, weights: await writeHdf5({ datasets }) });
}

// ---- Keras 2 (tf.keras) nested Sequential in an .h5 file ------------------------------------------------
const k2 = (className: string, name: string, config: object) => ({
  class_name: className,
  config: { name, trainable: true, dtype: 'float32', ...config },
});
const keras2Config = {
  class_name: 'Sequential',
  config: {
    name: 'outer',
    layers: [
      {
        class_name: 'InputLayer',
        config: { batch_input_shape: [null, 6], dtype: 'float32', sparse: false, ragged: false, name: 'x' },
      },
      {
        class_name: 'Sequential',
        config: {
          name: 'inner',
          layers: [
            {
              class_name: 'InputLayer',
              config: {
                batch_input_shape: [null, 6],
                dtype: 'float32',
                sparse: false,
                ragged: false,
                name: 'inner_x',
              },
            },
            k2('Dense', 'dense_a', {
              units: 5,
              activation: 'linear',
              use_bias: true,
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
            }),
            k2('BatchNormalization', 'bn_a', {
              axis: [1],
              momentum: 0.99,
              epsilon: 0.001,
              center: true,
              scale: true,
            }),
            k2('Activation', 'act_a', { activation: 'sigmoid' }),
          ],
        },
      },
      k2('Dense', 'dense_out', { units: 3, activation: 'softmax', use_bias: true }),
    ],
  },
};
const keras2Weights = makeWeights(
  {
    dense_a: [
      ['kernel', [6, 5]],
      ['bias', [5]],
    ],
    bn_a: [
      ['gamma', [5]],
      ['beta', [5]],
      ['moving_mean', [5]],
      ['moving_var', [5]],
    ],
    dense_out: [
      ['kernel', [5, 3]],
      ['bias', [3]],
    ],
  },
  11,
);

async function keras2File(): Promise<Uint8Array> {
  const [kernelA, biasA] = keras2Weights.dense_a as { values: Float32Array; shape: number[] }[];
  const [gamma, beta, mean, variance] = keras2Weights.bn_a as { values: Float32Array; shape: number[] }[];
  const [kernelOut, biasOut] = keras2Weights.dense_out as { values: Float32Array; shape: number[] }[];
  // A nested model's group lists trainable arrays first, then non-trainable ones (Keras 2 `model.weights`).
  const inner = [
    ['dense_a/kernel:0', kernelA],
    ['dense_a/bias:0', biasA],
    ['bn_a/gamma:0', gamma],
    ['bn_a/beta:0', beta],
    ['bn_a/moving_mean:0', mean],
    ['bn_a/moving_variance:0', variance],
  ] as const;
  return writeHdf5({
    attributes: {
      '/': { keras_version: '2.4.0', backend: 'tensorflow', model_config: JSON.stringify(keras2Config) },
      '/model_weights': { layer_names: ['x', 'inner', 'dense_out'] },
      '/model_weights/inner': { weight_names: inner.map(([n]) => n) },
      '/model_weights/dense_out': { weight_names: ['dense_out/kernel:0', 'dense_out/bias:0'] },
      '/model_weights/x': { weight_names: [] },
    },
    datasets: [
      ...inner.map(([name, w]) => ({
        path: `model_weights/inner/${name}`,
        values: w!.values,
        shape: w!.shape,
      })),
      {
        path: 'model_weights/dense_out/dense_out/kernel:0',
        values: kernelOut!.values,
        shape: kernelOut!.shape,
      },
      { path: 'model_weights/dense_out/dense_out/bias:0', values: biasOut!.values, shape: biasOut!.shape },
    ],
  });
}

function keras2Reference(): tfl.LayersModel {
  const denseA = tfl.layers.dense({ units: 5, inputShape: [6] });
  const bn = tfl.layers.batchNormalization({ epsilon: 0.001 });
  const denseOut = tfl.layers.dense({ units: 3, activation: 'softmax' });
  const model = tfl.sequential({
    layers: [denseA, bn, tfl.layers.activation({ activation: 'sigmoid' }), denseOut],
  });
  for (const [layer, name] of [
    [denseA, 'dense_a'],
    [bn, 'bn_a'],
    [denseOut, 'dense_out'],
  ] as const)
    setWeights(layer, keras2Weights[name]);
  return model;
}

function setWeights(layer: tfl.layers.Layer, weights: Weights[string] | undefined): void {
  const tensors = (weights ?? []).map((w) => tf.tensor(w.values, w.shape));
  layer.setWeights(tensors);
  tf.dispose(tensors);
}

function predictBatch(model: tfl.LayersModel, shapes: number[][], batch: number): Float32Array[] {
  return tf.tidy(() => {
    const xs = shapes.map((shape, k) => {
      const size = shape.reduce((p, d) => p * d, 1);
      const values = new Float32Array(batch * size);
      for (let n = 0; n < batch; n++) values.set(deterministicInput(size, k + 7 * n), n * size);
      return tf.tensor(values, [batch, ...shape]);
    });
    const out = model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs);
    return (Array.isArray(out) ? out : [out]).map((y) => y.dataSync() as Float32Array);
  });
}

describe('importModel: layer coverage', () => {
  beforeAll(() => initBackend());

  it('imports a Keras 3 functional model with two inputs, two outputs, a nested Sequential and every supported layer', async () => {
    const bytes = await keras3File();
    const before = tf.memory().numTensors;
    const imported = await importModel({ files: new Map([['coverage.keras', bytes]]) });
    expect(imported.inputs).toEqual([
      { name: 'image', shape: [8, 8, 3] },
      { name: 'extra', shape: [4] },
    ]);
    expect(imported.outputs).toEqual([
      { name: 'probs', shape: [5] },
      { name: 'gap', shape: [4] },
    ]);
    const reference = keras3Reference();
    expect(imported.parameterCount).toBe(reference.countParams());
    const head = imported.layers.find((l) => l.name === 'head');
    expect(head?.layers?.map((l) => l.className)).toEqual([
      'InputLayer',
      'Dense',
      'Dropout',
      'Dense',
      'LeakyReLU',
    ]);

    const ours = predictBatch(imported.model, [[8, 8, 3], [4]], 3);
    const theirs = predictBatch(reference, [[8, 8, 3], [4]], 3);
    expect(ours).toHaveLength(2);
    for (const [i, out] of ours.entries())
      expect(maxAbsDiff(out, theirs[i] as Float32Array)).toBeLessThan(1e-5);
    imported.model.dispose();
    reference.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('imports a tf.keras .h5 whose nested Sequential lists trainable weights before non-trainable ones', async () => {
    const imported = await importModel({ files: new Map([['nested.h5', await keras2File()]]) });
    expect(imported.format).toBe('keras-h5');
    expect(imported.layers.map((l) => l.className)).toEqual(['InputLayer', 'Sequential', 'Dense']);
    const reference = keras2Reference();
    const [ours] = predictBatch(imported.model, [[6]], 4);
    const [theirs] = predictBatch(reference, [[6]], 4);
    expect(maxAbsDiff(ours as Float32Array, theirs as Float32Array)).toBeLessThan(1e-5);
    imported.model.dispose();
    reference.dispose();
  });
});
