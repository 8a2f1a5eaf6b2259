import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend/initBackend.ts';
import { inputVector } from '../constraints/vectors.ts';
import { tapModel } from '../network/modelTaps.ts';
import { buildObjective } from '../objectives/buildObjective.ts';
import type { ModelOutputs, ObjectiveSpec } from '../spec/types.ts';
import { evaluateInputs } from './evaluateInputs.ts';

/** The objective and model outputs at given inputs (flat, model input order), e.g. to score a clipped answer. */
export async function evaluateObjective(
  model: tfl.LayersModel,
  objective: ObjectiveSpec,
  inputs: ArrayLike<number>[],
): Promise<{ value: number; outputs: ModelOutputs }[]> {
  await initBackend();
  const network = tapModel(model);
  try {
    const compiled = buildObjective(network, objective);
    const description = { size: network.inputSize, shape: network.inputShape };
    const rows = inputs.map((input, i) => Float32Array.from(inputVector(input, description, `inputs[${i}]`)));
    return evaluateInputs(compiled, rows);
  } finally {
    network.dispose();
  }
}
