import * as tf from '@tensorflow/tfjs-core';
import { checkClassIndex, requireLogits } from './classIndex.ts';
import type { ObjectiveTerm, TermContext } from './objectiveTerm.ts';

/**
 * log P(class `k`), computed from the logits (`z_k − logsumexp(z)`, or `−softplus(−z_k)` for a sigmoid
 * head) so it stays finite and keeps a useful gradient where the probability has saturated at 1.
 */
export function logProbability(spec: { index: number }, context: TermContext): ObjectiveTerm {
  requireLogits(context, 'logprob');
  const k = checkClassIndex(spec.index, context);
  const sigmoid = context.network.head === 'sigmoid';
  return {
    layers: [],
    value: ({ head }) => {
      const zk = tf.reshape(tf.slice(head.logits!, [0, k], [-1, 1]), [-1]) as tf.Tensor1D;
      if (sigmoid) return tf.neg(tf.softplus(tf.neg(zk)));
      return tf.sub(zk, tf.logSumExp(head.logits!, 1));
    },
  };
}
