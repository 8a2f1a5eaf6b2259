import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { UnsupportedError } from '../errors.ts';

/**
 * A copy of `layer` with its activation replaced by `linear` and the same weights: its output is the
 * pre-activation of the original (the logits, when the original ends in a fused softmax). Built on a
 * concrete tensor so the original model's graph gains no nodes. Dispose it when done.
 */
export function linearClone(layer: tfl.layers.Layer, inputShape: number[]): tfl.layers.Layer {
  const className = layer.getClassName();
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) {
    throw new UnsupportedError(
      `layer ${layer.name}: class ${className} is not registered, so its logits cannot be found`,
    );
  }
  const [cls, fromConfig] = entry;
  const { name: _name, ...config } = layer.getConfig();
  const clone = fromConfig(cls, { ...config, activation: 'linear', trainable: false }) as tfl.layers.Layer;
  tf.tidy(() => {
    clone.apply(tf.zeros([1, ...inputShape]));
  });
  clone.setWeights(layer.getWeights());
  return clone;
}
