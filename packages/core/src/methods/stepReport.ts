import * as tf from '@tensorflow/tfjs-core';
import type { FeasibleSet } from '../constraints/feasibleSet.ts';
import type { HeadTensors } from '../network/modelTaps.ts';
import type { ModelOutputs, StepEvent } from '../spec/types.ts';

export interface StepReading {
  event: StepEvent;
  /** Objective of every start. */
  values: Float32Array;
  best: number;
  /** The best start's input. Not the event's `input`, which is a separate copy the consumer may transfer. */
  row: Float32Array;
}

/**
 * Reads one step back from the backend: every start's objective and outputs come back as one small
 * array, then the best start's input (D numbers) for its violation and, on snapshot steps, the event.
 */
export function readStep(
  step: number,
  steps: number,
  value: tf.Tensor1D,
  head: HeadTensors,
  x: tf.Tensor2D,
  set: FeasibleSet,
  snapshot: boolean,
): StepReading {
  const starts = value.shape[0];
  const outputs = head.raw.shape[1];
  const separateLogits = head.logits !== undefined && head.logits !== head.raw;
  const packed = tf.tidy(() =>
    tf.concat([tf.reshape(value, [starts, 1]), head.raw, ...(separateLogits ? [head.logits!] : [])], 1),
  );
  const data = packed.dataSync();
  packed.dispose();
  const width = 1 + outputs * (separateLogits ? 2 : 1);
  const values = new Float32Array(starts);
  let best = 0;
  for (let s = 0; s < starts; s++) {
    values[s] = data[s * width]!;
    if (!(values[best]! >= values[s]!)) best = s;
  }
  const row = rowOf(x, best);
  const at = best * width + 1;
  const raw = Array.from(data.subarray(at, at + outputs));
  const modelOutputs: ModelOutputs = { raw };
  if (head.probabilities) modelOutputs.probabilities = raw;
  if (head.logits)
    modelOutputs.logits = separateLogits ? Array.from(data.subarray(at + outputs, at + 2 * outputs)) : raw;
  const event: StepEvent = {
    type: 'step',
    step,
    steps,
    objective: values[best]!,
    objectives: Array.from(values),
    bestStart: best,
    outputs: modelOutputs,
    violation: set.violation(row),
  };
  if (snapshot) event.input = row.slice();
  return { event, values, best, row };
}

/** A copy (own buffer, safe to transfer) of row `index` of `x`. */
export function rowOf(x: tf.Tensor2D, index: number): Float32Array {
  const slice = tf.slice(x, [index, 0], [1, -1]);
  const row = Float32Array.from(slice.dataSync() as Float32Array);
  slice.dispose();
  return row;
}

/** Every start's input and objective at the last step (for `returnAllStarts`). */
export function finalStarts(values: Float32Array, x: tf.Tensor2D, set: FeasibleSet) {
  const all = Float32Array.from(x.dataSync());
  const size = set.input.size;
  return Array.from(values, (value, s) => {
    const input = all.slice(s * size, (s + 1) * size);
    return { input, value, violation: set.violation(input) };
  });
}
