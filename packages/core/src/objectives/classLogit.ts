import * as tf from '@tensorflow/tfjs-core';
import { checkClassIndex, requireLogits } from './classIndex.ts';
import type { ObjectiveTerm, TermContext } from './objectiveTerm.ts';

/**
 * Logit `k`: the pre-softmax (or pre-sigmoid) value of output `k`, found from the model's structure
 * (see network/modelTaps.ts) even when the softmax is fused into the last Dense layer. Unlike the
 * probability it does not saturate, so it is the objective the benchmarks maximise.
 */
export function classLogit(spec: { index: number }, context: TermContext): ObjectiveTerm {
  requireLogits(context, 'logit');
  const k = checkClassIndex(spec.index, context);
  return {
    layers: [],
    value: ({ head }) => tf.reshape(tf.slice(head.logits!, [0, k], [-1, 1]), [-1]) as tf.Tensor1D,
  };
}
