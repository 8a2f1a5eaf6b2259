import type * as tfl from '@tensorflow/tfjs-layers';
import { relativeGap } from '../certify/certify.ts';
import { type DatasetName, datasetNames } from '../data/dataset.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { AccentuationInfo } from '../prior/accentuate.ts';
import { datasetPrior } from '../prior/datasetPrior.ts';
import type { ClassSearchInfo } from '../prior/optimizeForClass.ts';
import type { GenerativeSearchInfo } from '../prior/optimizeInGenerative.ts';
import type { PriorResult } from '../prior/optimizeInPrior.ts';
import { classTarget } from '../prior/optimizeWithPrior.ts';
import type { Prior, PriorMethod } from '../prior/prior.ts';
import type { PriorCertificate } from '../prior/priorCertificate.ts';
import { priorCacheDir } from '../prior/priorStore.ts';
import type { RefinedPoint } from '../prior/realisticRefine.ts';
import { measureRealism } from '../realism/measureRealism.ts';
import type { OptimizationResult, OptimizeOptions } from '../spec/types.ts';
import type { CliIo } from './command.ts';

/** `--prior` values: a dataset (its best method, the subspaces), or `DATASET:vae` for its generative prior. */
export const priorNames = [...datasetNames, ...datasetNames.map((name) => `${name}:vae`)];

/** The dataset and the method a `--prior` value names. */
export function priorArgument(name: string): { dataset: DatasetName; method: PriorMethod } {
  const [dataset, method] = name.split(':') as [DatasetName, string | undefined];
  return { dataset, method: method === 'vae' ? 'vae' : 'subspace' };
}

/**
 * `--prior DATASET[:vae]`: the dataset's prior from the cache (built there on first use, its VAE too
 * for `:vae`, progress on stderr). The model must take that dataset's inputs, and a prior replaces the
 * other input constraints (only --box, the clip range, stays).
 */
export async function openPrior(
  name: string,
  model: tfl.LayersModel,
  other: Record<string, unknown>,
  io: CliIo,
): Promise<Prior> {
  for (const [flag, value] of Object.entries(other)) {
    if (value !== undefined) throw new InvalidArgumentError('--prior', name, `--prior without --${flag}`);
  }
  const { dataset, method } = priorArgument(name);
  const { prior } = await datasetPrior(dataset, {
    cacheDir: priorCacheDir(),
    generative: method === 'vae',
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

/**
 * `--diverse COUNT`: the class the target names, when the prior has its subspace; else a bad
 * argument (several different answers are searched for one class at a time).
 */
export function diverseClass(count: number, prior: Prior, target: OptimizeOptions['objective']): number {
  const k = classTarget(target);
  if (k === undefined || !prior.classSubspaces?.[k])
    throw new InvalidArgumentError(
      '--diverse',
      count,
      'a class target (logit:K, prob:K, logprob:K or margin:K) and a prior with class subspaces',
    );
  return k;
}

/** RESULT.json's `diverse`: each prototype's value, latent point, image and realism. */
export function diverseRecord(points: RefinedPoint[]) {
  return points.map(({ value, latent, input, realism }) => ({
    value,
    latent: Array.from(latent),
    input: Array.from(input),
    realism,
  }));
}

/**
 * `--accentuate`: the class the target names, when the prior has its subspace and training labels;
 * else a bad argument. The other prior extras (diverse, frontier, certify) search the class subspace
 * itself, not the ball around the anchor, so they are refused with it.
 */
export function accentuateClass(
  prior: Prior | undefined,
  target: OptimizeOptions['objective'],
  others: Record<string, unknown>,
): number {
  if (!prior) throw new InvalidArgumentError('--accentuate', true, '--accentuate with --prior');
  for (const [flag, value] of Object.entries(others))
    if (value !== undefined && value !== false)
      throw new InvalidArgumentError('--accentuate', true, `--accentuate without --${flag}`);
  const k = classTarget(target);
  if (k === undefined || !prior.classSubspaces?.[k] || !prior.realism.trainLabels)
    throw new InvalidArgumentError(
      '--accentuate',
      true,
      'a class target (logit:K, prob:K, logprob:K or margin:K) and a prior with class subspaces',
    );
  return k;
}

/** Which prior and subspace a result was searched in (RESULT.json's and CERT.json's `prior`). */
function priorInfo(result: OptimizationResult, prior: Prior) {
  const generative = (result as { generativeSearch?: GenerativeSearchInfo }).generativeSearch;
  if (generative && prior.generative) {
    const { settings, reconstructionError } = prior.generative.build;
    return {
      name: prior.name,
      method: 'vae',
      latentDimensions: settings.latent,
      hidden: settings.hidden,
      reconstructionError,
      ...generative,
    };
  }
  const search = (result as { classSearch?: ClassSearchInfo }).classSearch;
  const accentuation = (result as { accentuation?: AccentuationInfo }).accentuation;
  if (search && accentuation)
    return {
      name: prior.name,
      method: 'accentuation',
      components: prior.classSubspaces![search.classIndex]!.decoder.latent,
      ...search,
      ...accentuation,
    };
  return search
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
      };
}

/** The upper bound inside the subspace, as RESULT.json's `prior.upperBound` says it. */
export function upperBoundRecord(certificate: PriorCertificate, value: number) {
  return {
    value: certificate.upperBound,
    /** (upperBound − the answer's value) / |upperBound|. */
    gap: relativeGap(certificate.upperBound, value),
    bestValue: certificate.bestValue,
    boundsBy: certificate.boundsBy,
    proven: certificate.proven,
    method: certificate.method,
    seconds: certificate.seconds,
    region: certificate.region,
  };
}

/** RESULT.json's additions with a prior: which prior, the latent coordinates, and the realism measures. */
export function priorRecord(
  result: OptimizationResult,
  prior: Prior,
  target: OptimizeOptions['objective'],
  certificate?: PriorCertificate,
) {
  return {
    prior: {
      ...priorInfo(result, prior),
      ...(certificate ? { upperBound: upperBoundRecord(certificate, result.value) } : {}),
    },
    latent: Array.from((result as PriorResult).latent ?? []),
    realism: measureRealism(result.input, prior.realism, prior.judges, prior.shape, classTarget(target)),
  };
}

/** CERT.json's additions with a prior: the subspace certified, the search's answer, the best point's latent. */
export function priorCertificateRecord(certificate: PriorCertificate, answer: PriorResult, prior: Prior) {
  return {
    prior: { ...priorInfo(answer, prior), region: certificate.region, boundsBy: certificate.boundsBy },
    latent: Array.from(certificate.latent),
    answerValue: answer.value,
    answerLatent: Array.from(answer.latent),
    incumbent: 'prior-search',
  };
}
