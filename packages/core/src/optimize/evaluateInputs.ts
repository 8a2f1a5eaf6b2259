import * as tf from '@tensorflow/tfjs-core';
import type { CompiledObjective } from '../objectives/buildObjective.ts';
import type { ModelOutputs } from '../spec/types.ts';

/** Objective and model outputs of each input (flat, model input order), in one batched forward pass. */
export function evaluateInputs(
  objective: CompiledObjective,
  inputs: Float32Array[],
): { value: number; outputs: ModelOutputs }[] {
  if (inputs.length === 0) return [];
  const size = inputs[0]!.length;
  const batch = new Float32Array(inputs.length * size);
  inputs.forEach((input, i) => {
    batch.set(input, i * size);
  });
  const { packed, width, separateLogits, outputs, hasLogits, hasProbabilities } = tf.tidy(() => {
    const { value, head } = objective.evaluate(tf.tensor2d(batch, [inputs.length, size]));
    const separate = head.logits !== undefined && head.logits !== head.raw;
    const parts = [tf.reshape(value, [-1, 1]), head.raw, ...(separate ? [head.logits!] : [])];
    return {
      packed: tf.concat(parts, 1),
      width: 1 + head.raw.shape[1] * (separate ? 2 : 1),
      separateLogits: separate,
      outputs: head.raw.shape[1],
      hasLogits: head.logits !== undefined,
      hasProbabilities: head.probabilities !== undefined,
    };
  });
  const data = packed.dataSync();
  packed.dispose();
  return inputs.map((_, i) => {
    const at = i * width;
    const raw = Array.from(data.subarray(at + 1, at + 1 + outputs));
    const result: ModelOutputs = { raw };
    if (hasProbabilities) result.probabilities = raw;
    if (hasLogits)
      result.logits = separateLogits
        ? Array.from(data.subarray(at + 1 + outputs, at + 1 + 2 * outputs))
        : raw;
    return { value: data[at]!, outputs: result };
  });
}
