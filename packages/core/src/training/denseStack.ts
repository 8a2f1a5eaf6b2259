import type * as tfl from '@tensorflow/tfjs-layers';

/** One Dense layer of a plain classifier MLP, as the fast training loop needs it. */
export interface DenseLayerSpec {
  name: string;
  inputs: number;
  units: number;
  activation: 'relu' | 'linear' | 'softmax';
}

/**
 * The Dense layers of `model` when it is `[Input] [Flatten] Dense(relu|linear)* Dense(softmax)` with
 * biases and without regularisers or constraints, which the lean loop in `denseTrainer.ts` trains
 * with exactly Keras's semantics; otherwise a reason, and training uses the generic tfjs loop.
 */
export function denseStackOf(model: tfl.LayersModel): DenseLayerSpec[] | string {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    return 'the model has several inputs or outputs';
  const layers: DenseLayerSpec[] = [];
  let inputs = (model.inputs[0]!.shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer') continue;
    if (className === 'Flatten' && layers.length === 0) continue;
    if (className !== 'Dense') return `layer ${layer.name} is a ${className}`;
    const config = layer.getConfig() as Record<string, unknown>;
    const activation = config.activation;
    if (activation !== 'relu' && activation !== 'linear' && activation !== 'softmax')
      return `layer ${layer.name} has activation ${String(activation)}`;
    if (config.useBias !== true) return `layer ${layer.name} has no bias`;
    for (const key of [
      'kernelRegularizer',
      'biasRegularizer',
      'activityRegularizer',
      'kernelConstraint',
      'biasConstraint',
    ])
      if (config[key] != null) return `layer ${layer.name} has a ${key}`;
    const units = config.units as number;
    layers.push({ name: layer.name, inputs, units, activation });
    inputs = units;
  }
  if (layers.length === 0) return 'the model has no Dense layer';
  if (layers.slice(0, -1).some((l) => l.activation === 'softmax'))
    return 'softmax is used before the last layer';
  if (layers.at(-1)!.activation !== 'softmax') return 'the last layer is not a softmax classifier';
  return layers;
}
