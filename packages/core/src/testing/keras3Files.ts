/**
 * Small Dense networks written as Keras 3.4 writes them (`model.save('m.keras')`): config.json entries
 * with module/registered_name, `{args, kwargs}` call nodes holding `__keras_tensor__`s, and
 * model.weights.h5 with each layer's arrays at the path Keras 3's saver gives it. The test says which
 * path each layer's arrays go to; nothing here derives paths. Test helper, not used by library code.
 */
import { writeHdf5, writeKerasArchive } from './testSupport.ts';

type Json = Record<string, unknown>;

const float32 = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};

/** A reference to output `tensor` of call `node` of layer `name`, as it appears in a call's args. */
export function tensor(name: string, node = 0, index = 0): Json {
  return {
    class_name: '__keras_tensor__',
    config: { shape: [null], dtype: 'float32', keras_history: [name, node, index] },
  };
}

export function inputLayer(name: string, size: number): Json {
  return {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: [null, size], dtype: 'float32', sparse: false, name },
    registered_name: null,
    name,
    inbound_nodes: [],
  };
}

/** A Dense layer; `calls` lists the args of each call (functional models only). */
export function denseLayer(name: string, units: number, activation: string, calls?: unknown[][]): Json {
  const layer: Json = {
    module: 'keras.layers',
    class_name: 'Dense',
    config: {
      name,
      trainable: true,
      dtype: float32,
      units,
      activation,
      use_bias: true,
      kernel_initializer: {
        module: 'keras.initializers',
        class_name: 'GlorotUniform',
        config: { seed: null },
      },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
    registered_name: null,
  };
  if (calls) {
    layer.name = name;
    layer.inbound_nodes = calls.map((args) => ({ args, kwargs: {} }));
  }
  return layer;
}

export function addLayer(name: string, inputs: Json[]): Json {
  return {
    module: 'keras.layers',
    class_name: 'Add',
    config: { name, trainable: true, dtype: float32 },
    registered_name: null,
    name,
    inbound_nodes: [{ args: [inputs], kwargs: {} }],
  };
}

export function sequential(name: string, layers: Json[], calls?: unknown[][]): Json {
  const model: Json = {
    module: 'keras',
    class_name: 'Sequential',
    config: { name, trainable: true, dtype: float32, layers },
    registered_name: null,
  };
  if (calls) {
    model.name = name;
    model.inbound_nodes = calls.map((args) => ({ args, kwargs: {} }));
  }
  return model;
}

export function functional(
  name: string,
  layers: Json[],
  inputs: [string, number, number][],
  outputs: [string, number, number][],
): Json {
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: { name, trainable: true, layers, input_layers: inputs, output_layers: outputs },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}

export interface DenseWeights {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
}

/** Deterministic weights in [-1, 1) for a Dense layer. */
export function denseWeights(inputs: number, units: number, seed: number): DenseWeights {
  const values = (n: number, offset: number) =>
    Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7919 + offset + i * 12.9898) * 0.9);
  return { kernel: values(inputs * units, 0), bias: values(units, 1e4), inputs, units };
}

/**
 * A `.keras` archive: the config plus model.weights.h5 holding each Dense's kernel and bias at
 * `<group>/vars/0` and `/1`. `labels` adds Keras 3.6+'s `name` attribute to a group's `vars`.
 */
export async function kerasArchive(
  config: Json,
  groups: Record<string, DenseWeights>,
  labels: Record<string, string> = {},
): Promise<Uint8Array> {
  const datasets = Object.entries(groups).flatMap(([group, w]) => [
    { path: `${group}/vars/0`, values: w.kernel, shape: [w.inputs, w.units] },
    { path: `${group}/vars/1`, values: w.bias, shape: [w.units] },
  ]);
  const attributes = Object.fromEntries(
    Object.entries(labels).map(([group, name]) => [`/${group}/vars`, { name }]),
  );
  const weights = await writeHdf5({ datasets, attributes });
  return writeKerasArchive({ config, weights });
}
