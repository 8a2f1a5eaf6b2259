import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { provideConv2dBackpropFilter } from '../backend/conv2dBackpropFilter.ts';
import { fastConv2dBackpropInput } from '../backend/conv2dBackpropInput.ts';
import { fastMaxPoolGrad } from '../backend/maxPoolGrad.ts';
import { missingBackwardKernels } from '../backend/missingGradientKernels.ts';
import { shareWasmIdentity } from '../backend/sharedIdentity.ts';
import type { CompiledObjective } from '../objectives/buildObjective.ts';

/** What the current backend lacks for each model's input gradient, per backend (models do not change). */
const missingByModel = new WeakMap<tfl.LayersModel, Map<string, string[]>>();

export interface GradientBackend {
  /** The backend the optimisation runs on. */
  name: string;
  /** Puts back the backend that was current before (a no-op when it did not change). */
  restore(): Promise<void>;
}

/**
 * Makes sure the current backend can compute the objective's input gradient, per model: the JS
 * Conv2DBackpropFilter fills wasm's gap for plain convolutions (tfjs asks for it even for the input
 * gradient); when the model needs another gradient kernel the backend lacks (wasm has none for
 * depthwise convolutions), this model's run switches to the cpu backend, with a log line naming the
 * kernels, and `restore` switches back. Decided before the first step: a gradient that fails inside
 * tfjs leaves its engine recording a tape. Switching is process-wide: a job thread runs one
 * optimisation at a time.
 */
export async function gradientBackend(
  model: tfl.LayersModel,
  objective: CompiledObjective,
  log: (line: string) => void,
): Promise<GradientBackend> {
  const previous = tf.getBackend();
  const unchanged = { name: previous, restore: async () => {} };
  if (previous === 'cpu') return unchanged;
  provideConv2dBackpropFilter();
  fastConv2dBackpropInput();
  fastMaxPoolGrad();
  shareWasmIdentity();
  const known = missingByModel.get(model) ?? new Map<string, string[]>();
  missingByModel.set(model, known);
  let missing = known.get(previous);
  if (!missing) {
    missing = await missingBackwardKernels(() => {
      objective.evaluate(tf.zeros([1, objective.network.inputSize]));
    });
    known.set(previous, missing);
  }
  if (missing.length === 0) return unchanged;
  log(
    `argmax: optimising ${model.name} on cpu: the ${previous} backend has no ${missing.join(', ')} kernel for its input gradient`,
  );
  await tf.setBackend('cpu');
  return {
    name: 'cpu',
    restore: async () => {
      await tf.setBackend(previous);
    },
  };
}
