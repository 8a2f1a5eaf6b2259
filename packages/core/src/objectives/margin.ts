import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.ts';
import { checkClassIndex, requireLogits } from './classIndex.ts';
import type { ObjectiveTerm, TermContext } from './objectiveTerm.ts';

/** Logit `k` minus the largest other logit: positive exactly where the model predicts class `k`. */
export function margin(spec: { index: number }, context: TermContext): ObjectiveTerm {
  requireLogits(context, 'margin');
  const k = checkClassIndex(spec.index, context);
  const classes = context.network.outputSize;
  if (classes < 2) {
    throw new InvalidArgumentError(
      context.argument,
      'margin on a model with 1 output',
      'a model with ≥ 2 outputs',
    );
  }
  return {
    layers: [],
    value: ({ head }) => {
      const logits = head.logits!;
      const zk = tf.reshape(tf.slice(logits, [0, k], [-1, 1]), [-1]);
      // Push class k far below the others so the max picks the best competitor.
      const mask = tf.mul(tf.oneHot(tf.tensor1d([k], 'int32'), classes), -1e30);
      return tf.sub(zk, tf.max(tf.add(logits, mask), 1)) as tf.Tensor1D;
    },
  };
}
