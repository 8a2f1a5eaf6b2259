import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageSplit } from '../data/dataset.ts';
import { fillBatch } from './batches.ts';

export interface Evaluation {
  /** Mean sparse categorical cross-entropy (probabilities clipped to [1e-7, 1], as Keras does). */
  loss: number;
  accuracy: number;
}

/** Loss and accuracy of a softmax classifier on a whole split, in chunks, through the model itself. */
export function evaluate(model: tfl.LayersModel, split: ImageSplit, chunk = 1000): Evaluation {
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const features = inputShape.reduce((a, b) => a * b, 1);
  const order = Uint32Array.from({ length: split.count }, (_, i) => i);
  const x = new Float32Array(chunk * features);
  const labels = new Int32Array(chunk);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += chunk) {
    const n = fillBatch(split, order, start, chunk, x, labels);
    const probs = tf.tidy(() => {
      const input = tf.tensor(x.subarray(0, n * features), [n, ...inputShape]);
      return (model.predict(input) as tf.Tensor).dataSync();
    });
    const classes = probs.length / n;
    for (let i = 0; i < n; i++) {
      let argmax = 0;
      for (let j = 1; j < classes; j++)
        if (probs[i * classes + j]! > probs[i * classes + argmax]!) argmax = j;
      if (argmax === labels[i]) correct++;
      lossSum -= Math.log(Math.min(1, Math.max(1e-7, probs[i * classes + labels[i]!]!)));
    }
  }
  return { loss: lossSum / split.count, accuracy: correct / split.count };
}
