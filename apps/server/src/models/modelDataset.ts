import { type DatasetName, fashionMnistClassNames, mnistClassNames } from '@argmax/core';
import type { ModelSummary } from '@argmax/db';

/** A dataset whose prior the server builds, and which a model may be known to be made for. */
export type PriorDataset = DatasetName;

/** The API's names of the priors (`PriorDataset`), and the dataset each one is. */
export const priorDatasets = { NONE: undefined, FASHION_MNIST: 'fashion-mnist', MNIST: 'mnist' } as const;

export const priorEnumName = (dataset: PriorDataset | undefined): keyof typeof priorDatasets =>
  dataset === 'fashion-mnist' ? 'FASHION_MNIST' : dataset === 'mnist' ? 'MNIST' : 'NONE';

/**
 * The dataset a model was made for, when the server can tell: one 28×28 input and the dataset's ten class
 * names (the seed model, and models trained here). Its prior then measures the model's answers.
 */
export function modelDataset(
  model: Pick<ModelSummary, 'inputShape' | 'classNames'>,
): PriorDataset | undefined {
  const size = model.inputShape.reduce((a, b) => a * b, 1);
  const names = model.classNames ?? [];
  if (size !== 28 * 28 || names.length !== 10) return undefined;
  if (names.every((name, i) => name === fashionMnistClassNames[i])) return 'fashion-mnist';
  if (names.every((name, i) => name === mnistClassNames[i])) return 'mnist';
  return undefined;
}
