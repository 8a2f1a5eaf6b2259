import { describe, expect, it } from 'vitest';
import { analyzeModel } from './analyzeModel.ts';
import { resolveLimits } from './importLimits.ts';
import type { FunctionalModel, SequentialModel } from './kerasTopology.ts';
import { normalizeModelConfig } from './normalizeKerasConfig.ts';
import { parseKerasJson } from './parseJson.ts';

const keras = (warnings: string[] = []) => ({ file: 'm.keras', keras: true, warnings });
const dense = (name: string, units: number, extra: object = {}) => ({
  module: 'keras.layers',
  class_name: 'Dense',
  config: { name, units, activation: 'relu', use_bias: true, ...extra },
  registered_name: null,
});
const kt = (layer: string, node = 0) => ({
  class_name: '__keras_tensor__',
  config: { shape: [null, 3], dtype: 'float32', keras_history: [layer, node, 0] },
});

describe('normalizeModelConfig', () => {
  it('takes a Keras 3 Sequential input shape from build configs when it has no InputLayer', () => {
    const model = normalizeModelConfig(
      {
        module: 'keras',
        class_name: 'Sequential',
        config: { name: 's', layers: [dense('a', 4, {})], build_input_shape: [null, 7] },
        registered_name: null,
      },
      keras(),
    ) as SequentialModel;
    const analysis = analyzeModel(model, 'm.keras', resolveLimits());
    expect(analysis.inputs).toEqual([{ name: 'a_input', shape: [7] }]);
    expect(analysis.parameterCount).toBe(7 * 4 + 4);
  });

  it('reads a Keras <= 2.1 Sequential whose config is the bare layer list', () => {
    const model = normalizeModelConfig(
      {
        class_name: 'Sequential',
        config: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3] } }],
      },
      { file: 'old.h5', keras: true, warnings: [] },
    );
    expect(analyzeModel(model, 'old.h5', resolveLimits()).outputs[0]?.shape).toEqual([2]);
  });

  it('converts Keras 3 call nodes, a bare input triple and zero-based nested Sequential calls', () => {
    const nested = {
      module: 'keras',
      class_name: 'Sequential',
      config: { name: 'inner', layers: [dense('i1', 3)] },
      registered_name: null,
      name: 'inner',
      inbound_nodes: [{ args: [kt('x')], kwargs: { training: false } }],
    };
    const model = normalizeModelConfig(
      {
        class_name: 'Functional',
        config: {
          name: 'f',
          layers: [
            {
              class_name: 'InputLayer',
              config: { batch_shape: [null, 3], name: 'x' },
              name: 'x',
              inbound_nodes: [],
            },
            nested,
            { ...dense('out', 2), name: 'out', inbound_nodes: [{ args: [kt('inner', 0)], kwargs: {} }] },
          ],
          input_layers: ['x', 0, 0],
          output_layers: [['out', 0, 0]],
        },
      },
      keras(),
    ) as FunctionalModel;
    expect(model.class_name).toBe('Model');
    expect(model.config.input_layers).toEqual([['x', 0, 0]]);
    // tfjs numbers a nested model's calls from 1: its node 0 links its own input to its output.
    expect(model.config.layers[2]?.inbound_nodes).toEqual([[['inner', 1, 0, {}]]]);
    const analysis = analyzeModel(model, 'm.keras', resolveLimits());
    expect(analysis.outputs[0]?.shape).toEqual([2]);
    expect(analysis.weightedLayers.map((l) => l.path.join('/'))).toEqual(['inner/i1', 'out']);
  });

  it('turns dtype policies into float32 and says so for mixed precision', () => {
    const warnings: string[] = [];
    const policy = (name: string) => ({ module: 'keras', class_name: 'DTypePolicy', config: { name } });
    const model = normalizeModelConfig(
      {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [
            { class_name: 'InputLayer', config: { batch_shape: [null, 2], dtype: 'float32', name: 'x' } },
            dense('a', 2, { dtype: policy('mixed_float16') }),
            dense('b', 2, { dtype: policy('float32') }),
          ],
        },
      },
      keras(warnings),
    ) as SequentialModel;
    expect(model.config.layers.map((l) => l.config.dtype)).toEqual(['float32', 'float32', 'float32']);
    expect(warnings).toEqual(['layers saved with dtype policy mixed_float16 are computed in float32']);
  });

  it('maps Keras 3 spellings of leaky ReLU to tfjs layers', () => {
    const model = normalizeModelConfig(
      {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [
            { class_name: 'InputLayer', config: { batch_shape: [null, 2], name: 'x' } },
            {
              class_name: 'ReLU',
              config: { name: 'r', negative_slope: 0.05, max_value: null, threshold: 0 },
            },
            { class_name: 'LeakyReLU', config: { name: 'l', negative_slope: 0.1 } },
            { class_name: 'Activation', config: { name: 'a', activation: 'leaky_relu' } },
            dense('d', 2, { activation: 'leaky_relu' }),
          ],
        },
      },
      keras(),
    ) as SequentialModel;
    expect(
      model.config.layers.map((l) => [l.class_name, l.config.name, l.config.alpha ?? l.config.activation]),
    ).toEqual([
      ['InputLayer', 'x', undefined],
      ['LeakyReLU', 'r', 0.05],
      ['LeakyReLU', 'l', 0.1],
      ['LeakyReLU', 'a', 0.2],
      ['Dense', 'd', 'linear'],
      ['LeakyReLU', 'd_leaky_relu', 0.2],
    ]);
  });
});

describe('parseKerasJson', () => {
  it('reads the bare NaN and Infinity Python writes into configs', () => {
    expect(parseKerasJson('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN"}', 'm.h5')).toEqual({
      a: null,
      b: [null, null],
      c: 'NaN',
    });
  });
});
