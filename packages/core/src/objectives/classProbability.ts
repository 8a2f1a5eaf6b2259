import * as tf from '@tensorflow/tfjs-core';
import { checkClassIndex, requireLogits } from './classIndex.ts';
import type { ObjectiveTerm, TermContext } from './objectiveTerm.ts';

/**
 * Probability of class `k`: the softmax (or sigmoid) output. A model with a linear head is taken to
 * output logits, so its probabilities are their softmax.
 */
export function classProbability(spec: { index: number }, context: TermContext): ObjectiveTerm {
  requireLogits(context, 'prob');
  const k = checkClassIndex(spec.index, context);
  return {
    layers: [],
    value: ({ head }) => {
      const probabilities = head.probabilities ?? tf.softmax(head.logits!);
      return tf.reshape(tf.slice(probabilities, [0, k], [-1, 1]), [-1]) as tf.Tensor1D;
    },
  };
}
