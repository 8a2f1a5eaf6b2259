import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.ts';
import { checkLayer } from './layerUnit.ts';
import type { ObjectiveTerm, TermContext } from './objectiveTerm.ts';

/**
 * Mean of one channel of a named layer over its spatial positions (feature visualisation of a conv
 * filter). The channel axis is the last one, or the first for `dataFormat: 'channelsFirst'` layers; on a
 * Dense layer a channel is a unit.
 */
export function channelMean(spec: { layer: string; channel: number }, context: TermContext): ObjectiveTerm {
  const info = checkLayer(spec.layer, context);
  const axis = info.channelsFirst ? 0 : info.shape.length - 1;
  const channels = info.shape[axis]!;
  if (!Number.isInteger(spec.channel) || spec.channel < 0 || spec.channel >= channels) {
    throw new InvalidArgumentError(
      `${context.argument}.channel`,
      spec.channel,
      `an integer channel in [0, ${channels - 1}] (layer ${spec.layer} outputs [${info.shape.join(', ')}])`,
    );
  }
  const { layer, channel } = spec;
  const rank = info.shape.length + 1;
  return {
    layers: [layer],
    value: ({ layers }) => {
      const out = layers.get(layer)!;
      const begin = new Array<number>(rank).fill(0);
      const size = new Array<number>(rank).fill(-1);
      begin[axis + 1] = channel;
      size[axis + 1] = 1;
      const selected = tf.slice(out, begin, size);
      return tf.mean(tf.reshape(selected, [out.shape[0]!, -1]), 1) as tf.Tensor1D;
    },
  };
}
