import type * as tfl from '@tensorflow/tfjs-layers';
import { evaluateObjective } from '../optimize/evaluateObjective.ts';
import { measureRealism, type Realism } from '../realism/measureRealism.ts';
import { isRealistic, realismBounds } from '../realism/realismCriteria.ts';
import type { ObjectiveSpec, OptimizationResult } from '../spec/types.ts';
import { decodeLatent } from './latentModel.ts';
import { type ClassSearchInfo, classSearch, classSearchSubspace } from './optimizeForClass.ts';
import type { PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';

/** One point of the price of realism: the answer's ray at fraction `t`, its value and realism. */
export interface FrontierPoint {
  /** The ray's fraction: the latent point t·w, from the class mean (0) through the answer (1). */
  t: number;
  input: Float32Array;
  value: number;
  realism: Realism;
  /** Whether the point meets every realism criterion (isRealistic). */
  realistic: boolean;
}

/** Points of the sweep: this many on [0, 1], and this many more beyond 1 when the searched set reaches further. */
export const frontierPoints = { inside: 7, beyond: 4 };

/**
 * The price of realism for a class-subspace answer (latent w, found with `search`): the ray t·w from
 * the class mean (t = 0, the strongest prior) through the answer (t = 1) and on to the edge of the
 * largest set the class search may search (its ball and per-coordinate bounds at the largest of
 * classSearch.radiusScales), where realism gives way; each point decoded, scored and measured. A
 * sweep of prior strength along the one direction the answer chose: pure computation, no search.
 */
export async function realismFrontier(
  model: tfl.LayersModel,
  objective: ObjectiveSpec,
  prior: Prior,
  search: ClassSearchInfo,
  latent: Float32Array,
  box: [number, number],
): Promise<FrontierPoint[]> {
  const k = search.classIndex;
  const subspace = classSearchSubspace(prior.classSubspaces![k]!, search.scale);
  const largest = classSearchSubspace(
    prior.classSubspaces![k]!,
    Math.max(search.scale, ...classSearch.radiusScales),
  );
  const ts = frontierFractions(rayLimit(latent, largest));
  const inputs = ts.map((t) =>
    decodeLatent(
      subspace.decoder,
      latent.map((w) => w * t),
      box,
    ),
  );
  const scored = await evaluateObjective(model, objective, inputs);
  const bounds = realismBounds(prior.realism);
  return ts.map((t, i) => {
    const realism = measureRealism(inputs[i]!, prior.realism, prior.judges, prior.shape, k);
    return {
      t,
      input: inputs[i]!,
      value: scored[i]!.value,
      realism,
      realistic: isRealistic(realism, bounds, prior.judges.length),
    };
  });
}

/** The frontier of a prior search's result; null when it was not a class search (the data subspace has no class mean). */
export async function resultFrontier(
  model: tfl.LayersModel,
  objective: ObjectiveSpec,
  prior: Prior,
  result: OptimizationResult,
  box: [number, number],
): Promise<FrontierPoint[] | null> {
  const search = (result as { classSearch?: ClassSearchInfo }).classSearch;
  const { latent } = result as Partial<PriorResult>;
  return search && latent ? realismFrontier(model, objective, prior, search, latent, box) : null;
}

/** The largest t (at least 1) with t·w inside the ball and every per-coordinate bound. */
export function rayLimit(
  latent: Float32Array,
  set: { lo: Float32Array; hi: Float32Array; radius: number },
): number {
  const norm = Math.hypot(...latent);
  let limit = norm > 0 ? set.radius / norm : Number.POSITIVE_INFINITY;
  latent.forEach((w, i) => {
    if (w > 0) limit = Math.min(limit, set.hi[i]! / w);
    else if (w < 0) limit = Math.min(limit, set.lo[i]! / w);
  });
  return Number.isFinite(limit) ? Math.max(1, limit) : 1;
}

/** Evenly spaced fractions on [0, 1], then on (1, limit] when the limit is noticeably beyond 1. */
export function frontierFractions(limit: number): number[] {
  const { inside, beyond } = frontierPoints;
  const spaced = (from: number, to: number, n: number) =>
    Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
  if (limit <= 1.01) return spaced(0, 1, inside + beyond - 1);
  return [...spaced(0, 1, inside), ...spaced(1, limit, beyond + 1).slice(1)];
}
