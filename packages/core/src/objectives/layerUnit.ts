import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.ts';
import type { ObjectiveTerm, TermContext } from './objectiveTerm.ts';

/** One unit of a named layer's output; `index` is flat over the output's non-batch dims (row-major). */
export function layerUnit(spec: { layer: string; index: number }, context: TermContext): ObjectiveTerm {
  const info = checkLayer(spec.layer, context);
  const units = info.shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(spec.index) || spec.index < 0 || spec.index >= units) {
    throw new InvalidArgumentError(
      `${context.argument}.index`,
      spec.index,
      `an integer unit index in [0, ${units - 1}] (layer ${spec.layer} outputs [${info.shape.join(', ')}])`,
    );
  }
  const { layer, index } = spec;
  return {
    layers: [layer],
    value: ({ layers }) => {
      const out = layers.get(layer)!;
      const flat = out.rank === 2 ? out : tf.reshape(out, [out.shape[0]!, -1]);
      return tf.reshape(tf.slice(flat, [0, index], [-1, 1]), [-1]) as tf.Tensor1D;
    },
  };
}

/** The named layer's shape and format; InvalidArgumentError listing the valid names otherwise. */
export function checkLayer(name: unknown, { network, argument }: TermContext) {
  const info = typeof name === 'string' ? network.layerInfo(name) : undefined;
  if (!info) {
    throw new InvalidArgumentError(
      `${argument}.layer`,
      name,
      `one of the model's layers: ${network.layerNames.join(', ')}`,
    );
  }
  return info;
}
