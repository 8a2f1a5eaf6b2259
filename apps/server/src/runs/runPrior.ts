import { fashionMnistClassNames } from '@argmax/core/data/fashionMnist';
import { mnistClassNames } from '@argmax/core/data/mnist';
import type { ModelSummary } from '@argmax/db/repositories/models';
import type { ServerConfig } from '../config.ts';
import type { PriorLocation } from '../jobs/thread/priorLocation.ts';
import type { RunSpec } from './runSpec.ts';

export type PriorDataset = NonNullable<RunSpec['prior']>;

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

export const priorLocation = (config: ServerConfig, dataset: PriorDataset): PriorLocation => ({
  dataset,
  dir: config.priors.dir,
  sample: config.priors.sample,
});
