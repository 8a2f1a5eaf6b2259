import type * as tfl from '@tensorflow/tfjs-layers';

export interface LayerDescription {
  name: string;
  className: string;
  /** Without the batch axis; null for a free dimension. */
  outputShape: (number | null)[];
  parameters: number;
  activation?: string;
}

export interface ModelDescription {
  name: string;
  /** Shape of each input without the batch axis. */
  inputs: { name: string; shape: (number | null)[] }[];
  outputs: { name: string; shape: (number | null)[] }[];
  /** The first input's shape, for the usual single-input model. */
  inputShape: (number | null)[];
  /** Size of the first output's last axis (classes of a classifier). */
  outputCount: number;
  parameterCount: number;
  trainableParameterCount: number;
  layers: LayerDescription[];
}

/** What a model takes and gives, layer by layer, like Keras's `model.summary()` but as data. */
export function describeModel(model: tfl.LayersModel): ModelDescription {
  const withoutBatch = (shape: (number | null)[]) => shape.slice(1);
  const inputs = model.inputs.map((t) => ({ name: t.name, shape: withoutBatch(t.shape) }));
  const outputs = model.outputs.map((t) => ({ name: t.name, shape: withoutBatch(t.shape) }));
  const layers = model.layers.map((layer) => {
    const config = layer.getConfig() as { activation?: unknown };
    const shape = layer.outputShape;
    const first = Array.isArray(shape[0]) ? (shape[0] as (number | null)[]) : (shape as (number | null)[]);
    return {
      name: layer.name,
      className: layer.getClassName(),
      outputShape: withoutBatch(first),
      parameters: layer.countParams(),
      ...(typeof config.activation === 'string' ? { activation: config.activation } : {}),
    };
  });
  const count = (weights: tfl.LayerVariable[]) =>
    weights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  return {
    name: model.name,
    inputs,
    outputs,
    inputShape: inputs[0]?.shape ?? [],
    outputCount: (outputs[0]?.shape.at(-1) as number | undefined) ?? 0,
    parameterCount: count(model.weights),
    trainableParameterCount: count(model.trainableWeights),
    layers,
  };
}
