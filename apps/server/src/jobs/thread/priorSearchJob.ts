/**
 * A run's search in a prior, in the worker thread: the events of the search asked for (the class search,
 * or an accentuation from an anchor image), and what it found beside its answer (the anchor, the diverse
 * prototypes) as one message for the run to keep.
 */
import {
  type AccentuationInfo,
  accentuate,
  classTarget,
  diversePrototypes,
  InvalidArgumentError,
  isRealistic,
  type OptimizationEvent,
  type OptimizationResult,
  type OptimizeOptions,
  optimizeWithPrior,
  type Prior,
  realismBounds,
} from '@argmax/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { OptimizeJob } from './jobMessages.ts';
import { numberedSteps, searchesOf } from './numberedSteps.ts';
import type { PriorSearchMessage } from './realismMessages.ts';

type Search = NonNullable<OptimizeJob['prior']>;

/** The class an accentuation or the prototypes are for (the server has checked the target names one). */
function classOf(options: OptimizeOptions, what: string): number {
  const k = classTarget(options.objective);
  if (k === undefined) throw new Error(`${what} needs a class target`);
  return k;
}

/** The anchor image the run gives: its own reference, or a row of the prior's training sample; else none. */
function anchorReference(
  prior: Prior,
  accentuate: NonNullable<Search['accentuate']>,
): ArrayLike<number> | undefined {
  const i = accentuate.trainingIndex;
  if (i === undefined) return accentuate.reference;
  const { train } = prior.realism;
  if (i >= train.count)
    throw new InvalidArgumentError(
      'accentuate.trainingIndex',
      i,
      `a row of the prior's training sample (0..${train.count - 1})`,
    );
  return train.values.subarray(i * train.size, (i + 1) * train.size);
}

/** The search's steps, numbered as one sequence, then its result. */
export function priorSearchEvents(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  search: Search,
): AsyncIterable<OptimizationEvent> {
  if (search.accentuate) {
    const k = classOf(options, 'an accentuation');
    const reference = anchorReference(prior, search.accentuate);
    // One search (a single radius scale around the anchor).
    return numberedSteps(accentuate(model, options, prior, k, search.box, reference), 1);
  }
  return numberedSteps(
    optimizeWithPrior(model, options, prior, search.box),
    searchesOf(prior, options.objective),
  );
}

/** The anchor and the prototypes, when the run asked for either; null otherwise. */
export async function priorSearchMessage(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  search: Search,
  result: OptimizationResult,
): Promise<PriorSearchMessage | null> {
  if (!search.accentuate && search.diverse === undefined) return null;
  const info = (result as { accentuation?: AccentuationInfo }).accentuation;
  const { train } = prior.realism;
  // A training row given by index reaches core as a reference image: its index is the run's.
  const index = search.accentuate?.trainingIndex ?? info?.anchorIndex ?? null;
  const anchor =
    search.accentuate && info
      ? {
          index,
          input:
            index === null
              ? Float32Array.from(search.accentuate.reference ?? [])
              : train.values.slice(index * train.size, (index + 1) * train.size),
          value: info.anchorValue,
          centreValue: info.centreValue,
          radius: info.radius,
          improved: info.improved,
        }
      : null;
  let prototypes: PriorSearchMessage['prototypes'] = null;
  if (search.diverse !== undefined) {
    const k = classOf(options, 'diverse prototypes');
    const found = await diversePrototypes(model, options, prior, k, search.box, search.diverse);
    const bounds = realismBounds(prior.realism);
    prototypes = found.map((p) => ({
      input: p.input,
      value: p.value,
      realism: p.realism,
      realistic: isRealistic(p.realism, bounds, prior.judges.length),
    }));
  }
  return { type: 'prior-search', anchor, prototypes };
}
