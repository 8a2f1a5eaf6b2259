import type * as tfl from '@tensorflow/tfjs-layers';
import { certify } from '../certify/certify.ts';
import { certifyInGenerative } from './certifyInGenerative.ts';
import { decodeLatent, disposeLatentLayers, latentModel } from './latentModel.ts';
import { type ClassSearchInfo, classSearchSubspace } from './optimizeForClass.ts';
import type { GenerativeSearchInfo } from './optimizeInGenerative.ts';
import type { PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import { type PriorCertificate, type PriorCertifyOptions, smallerPriorBound } from './priorCertificate.ts';
import type { SubspacePrior } from './subspacePrior.ts';

/**
 * An upper bound on the objective over every input the subspace search can return, the smaller of
 * two sound ones, each given half the time:
 * - the model on latent coordinates (decoder, clip and model, one ReLU network: latentModel)
 *   certified over the per-coordinate bounds intersected with the ball's bounding box, a superset
 *   of the searched set (bounds ∩ ball); its best point is a point of the searched set;
 * - the model itself certified over each input value's range on the searched set (inputRanges), a
 *   box around every decoded image: the clip's ReLUs are gone, so the model's own search (tight for
 *   one hidden layer) applies, but the values vary independently.
 * `{ supported: false, reason }` when the model or the objective cannot be certified.
 */
export async function certifyInPrior(
  model: tfl.LayersModel,
  subspace: SubspacePrior,
  box: [number, number],
  options: PriorCertifyOptions,
): Promise<PriorCertificate | { supported: false; reason: string }> {
  const { incumbentLatent, ...rest } = options;
  const half = (options.timeLimitSeconds ?? 10) / 2;
  const ranges = inputRanges(subspace, box);
  const byRanges = await certify(model, {
    ...rest,
    timeLimitSeconds: half,
    constraints: { box: ranges },
    ...(incumbentLatent ? { incumbent: decodeLatent(subspace.decoder, incumbentLatent, box) } : {}),
  });
  if (!byRanges.supported) return byRanges;
  const composed = latentModel(model, subspace.decoder, box);
  try {
    const result = await certify(composed, {
      ...rest,
      timeLimitSeconds: half,
      constraints: {
        box: { lo: subspace.lo, hi: subspace.hi },
        l2: { reference: new Float32Array(subspace.decoder.latent), epsilon: subspace.radius },
      },
      ...(incumbentLatent ? { incumbent: incumbentLatent } : {}),
    });
    if (!result.supported) return result;
    return smallerPriorBound(
      result,
      byRanges,
      (w) => decodeLatent(subspace.decoder, w, box),
      options.tolerance ?? 1e-4,
      `the subspace's ${subspace.decoder.latent} coordinates within their bounds and within ±${subspace.radius.toPrecision(4)} (the bounding box of the ball ‖w‖ ≤ ${subspace.radius.toPrecision(4)} searched, a superset of bounds ∩ ball), decoded and clipped to [${box.join(', ')}]; or every input value within its range over that set`,
    );
  } finally {
    // The composed model shares the model's layers: dispose only what it added.
    disposeLatentLayers(composed);
  }
}

/**
 * Each input value's range over the searched set: offset plus the smaller of the ball's reach
 * (±radius·‖column‖) and the per-coordinate bounds' (Σᵢ of bᵢⱼ·loᵢ or bᵢⱼ·hiᵢ, whichever is lower or
 * higher), widened by a float32 allowance and clipped to the box. Float64 arithmetic.
 */
export function inputRanges(
  subspace: SubspacePrior,
  box: [number, number],
): { lo: Float64Array; hi: Float64Array } {
  const { decoder, lo, hi, radius } = subspace;
  const { latent, size, offset, basis } = decoder;
  const low = new Float64Array(size);
  const high = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    let down = 0;
    let up = 0;
    let square = 0;
    for (let i = 0; i < latent; i++) {
      const b = basis[i * size + j]!;
      down += Math.min(b * lo[i]!, b * hi[i]!);
      up += Math.max(b * lo[i]!, b * hi[i]!);
      square += b * b;
    }
    const reach = radius * Math.sqrt(square);
    const o = offset[j]!;
    const slack = 1e-5 * (1 + Math.abs(o) + reach);
    low[j] = Math.min(box[1], Math.max(box[0], o + Math.max(down, -reach) - slack));
    high[j] = Math.max(box[0], Math.min(box[1], o + Math.min(up, reach) + slack));
  }
  return { lo: low, hi: high };
}

/**
 * The subspace a prior search returned `result` from: the class subspace at the scale its class
 * search kept, or the data subspace.
 */
export function searchedSubspace(result: PriorResult, prior: Prior): SubspacePrior {
  const search = (result as { classSearch?: ClassSearchInfo }).classSearch;
  return search
    ? classSearchSubspace(prior.classSubspaces![search.classIndex]!, search.scale)
    : prior.subspace;
}

/**
 * `certifyInPrior` over the subspace `result` was found in (certifyInGenerative over the latent box,
 * for an answer of the generative prior), its latent point as the incumbent.
 */
export function certifyPriorAnswer(
  model: tfl.LayersModel,
  prior: Prior,
  result: PriorResult,
  box: [number, number],
  options: Omit<PriorCertifyOptions, 'incumbentLatent'>,
) {
  const generative = (result as { generativeSearch?: GenerativeSearchInfo }).generativeSearch;
  if (generative)
    return certifyInGenerative(model, prior, generative.classIndex, box, generative.sigmas, {
      ...options,
      incumbentLatent: result.latent,
    });
  return certifyInPrior(model, searchedSubspace(result, prior), box, {
    ...options,
    incumbentLatent: result.latent,
  });
}
