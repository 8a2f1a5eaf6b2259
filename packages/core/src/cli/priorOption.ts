import type * as tfl from '@tensorflow/tfjs-layers';
import { type DatasetName, datasetNames } from '../data/dataset.ts';
import { InvalidArgumentError } from '../errors.ts';
import { datasetPrior } from '../prior/datasetPrior.ts';
import type { ClassSearchInfo } from '../prior/optimizeForClass.ts';
import type { PriorResult } from '../prior/optimizeInPrior.ts';
import type { Prior } from '../prior/prior.ts';
import { priorCacheDir } from '../prior/priorStore.ts';
import { measureRealism } from '../realism/measureRealism.ts';
import type { OptimizationResult, OptimizeOptions } from '../spec/types.ts';
import type { CliIo } from './command.ts';

export const priorNames = datasetNames;

/**
 * `--prior DATASET`: the dataset's prior from the cache (built there on first use, progress on
 * stderr). The model must take that dataset's inputs, and a prior replaces the other input
 * constraints (only --box, the clip range, stays).
 */
export async function openPrior(
  name: string,
  model: tfl.LayersModel,
  other: { linf?: unknown; l2?: unknown; quantize?: unknown },
  io: CliIo,
): Promise<Prior> {
  for (const [flag, value] of Object.entries(other)) {
    if (value !== undefined) throw new InvalidArgumentError('--prior', name, `--prior without --${flag}`);
  }
  const { prior } = await datasetPrior(name as DatasetName, {
    cacheDir: priorCacheDir(),
    onProgress: (line) => io.stderr(`argmax: ${line}\n`),
  });
  const size = model.inputs.reduce(
    (total, input) =>
      total * (input.shape as (number | null)[]).slice(1).reduce<number>((a, d) => a * (d ?? 1), 1),
    1,
  );
  const priorSize = prior.shape.reduce((a, b) => a * b, 1);
  if (model.inputs.length !== 1 || size !== priorSize) {
    throw new InvalidArgumentError(
      '--prior',
      name,
      `a model whose input is one [${prior.shape.join(', ')}] image (this prior's data)`,
    );
  }
  return prior;
}

/** RESULT.json's additions with a prior: which prior, the latent coordinates, and the realism measures. */
export function priorRecord(result: OptimizationResult, prior: Prior, target: OptimizeOptions['objective']) {
  const classIndex = 'index' in target && target.kind !== 'unit' ? target.index : undefined;
  const search = (result as { classSearch?: ClassSearchInfo }).classSearch;
  return {
    prior: search
      ? {
          name: prior.name,
          method: 'class-subspace',
          components: prior.classSubspaces![search.classIndex]!.decoder.latent,
          ...search,
        }
      : {
          name: prior.name,
          method: 'subspace',
          components: prior.subspace.decoder.latent,
          radius: prior.subspace.radius,
        },
    latent: Array.from((result as PriorResult).latent ?? []),
    realism: measureRealism(result.input, prior.realism, prior.judges, prior.shape, classIndex),
  };
}
