import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { NonFiniteError } from '../errors.ts';
import type { TensorInfo } from './analyzeModel.ts';
import { ModelImportError } from './importError.ts';
import { format } from './layerShapes.ts';

export interface ModelCheck {
  /** Output values for the deterministic input (batch of one), one flat array per model output. */
  outputs: number[][];
  seconds: number;
}

/**
 * The deterministic input of the import check: values in [0, 1) from a fixed sequence (a 32-bit LCG),
 * different for each model input. Anyone can recompute it to compare outputs.
 */
export function deterministicInput(size: number, inputIndex: number): Float32Array {
  const values = new Float32Array(size);
  let state = (0x2545f491 + inputIndex * 0x9e3779b9) >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 32;
  }
  return values;
}

/**
 * Runs one forward pass on the deterministic input and checks that every output is finite and has the
 * shape the config analysis predicted.
 */
export function verifyModel(
  model: tfl.LayersModel,
  inputs: TensorInfo[],
  outputs: TensorInfo[],
  file: string,
): ModelCheck {
  const started = performance.now();
  const values = tf.tidy(() => {
    const xs = inputs.map((input, k) =>
      tf.tensor(
        deterministicInput(
          input.shape.reduce((p, d) => p * d, 1),
          k,
        ),
        [1, ...input.shape],
      ),
    );
    const result = model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs);
    const ys = Array.isArray(result) ? result : [result];
    return ys.map((y, i) => {
      const expected = outputs[i]?.shape ?? [];
      const actual = y.shape.slice(1);
      if (format(actual) !== format(expected))
        throw new ModelImportError(
          file,
          `output ${i} of the built model has shape ${format(actual)}; the config implies ${format(expected)}`,
        );
      return Array.from(y.dataSync());
    });
  });
  for (const [i, output] of values.entries()) {
    const bad = output.filter((v) => !Number.isFinite(v)).length;
    if (bad > 0)
      throw new NonFiniteError(
        `${file}: output "${outputs[i]?.name}" of a forward pass on a deterministic input`,
        bad,
      );
  }
  return { outputs: values, seconds: (performance.now() - started) / 1000 };
}
