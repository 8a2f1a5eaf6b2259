import type * as tfl from '@tensorflow/tfjs-layers';
import { certify } from '../certify/certify.ts';
import type { Certificate, CertifyOptions } from '../certify/types.ts';
import { decodeLatent, disposeLatentLayers, latentModel } from './latentModel.ts';
import { type ClassSearchInfo, classSearchSubspace } from './optimizeForClass.ts';
import type { PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import type { SubspacePrior } from './subspacePrior.ts';

export interface PriorCertifyOptions extends Omit<CertifyOptions, 'constraints' | 'incumbent'> {
  /** The best latent point known (e.g. the search's answer), checked and evaluated, never trusted. */
  incumbentLatent?: Float32Array;
}

/** A certificate over a subspace: what `certify` gives, with the best point as latent and as image. */
export type PriorCertificate = Omit<Certificate, 'input'> & {
  /** The best point found, in the subspace's whitened coordinates, and its decoded (clipped) image. */
  latent: Float32Array;
  input: Float32Array;
  /** What the bound holds over, in words (the region searched, or a superset of it). */
  region: string;
};

/**
 * An upper bound on the objective over every input the subspace search can return: the model on
 * latent coordinates (decoder, clip and model, one ReLU network: latentModel) certified over the
 * per-coordinate bounds intersected with the ball's bounding box. That region contains the searched
 * set (bounds ∩ ball), so the bound is sound for it, only looser by what the ball would cut.
 * `{ supported: false, reason }` when the model or the objective cannot be certified.
 */
export async function certifyInPrior(
  model: tfl.LayersModel,
  subspace: SubspacePrior,
  box: [number, number],
  options: PriorCertifyOptions,
): Promise<PriorCertificate | { supported: false; reason: string }> {
  const { incumbentLatent, ...rest } = options;
  const composed = latentModel(model, subspace.decoder, box);
  try {
    const result = await certify(composed, {
      ...rest,
      constraints: {
        box: { lo: subspace.lo, hi: subspace.hi },
        l2: { reference: new Float32Array(subspace.decoder.latent), epsilon: subspace.radius },
      },
      ...(incumbentLatent ? { incumbent: incumbentLatent } : {}),
    });
    if (!result.supported) return result;
    return {
      ...result,
      latent: result.input,
      input: decodeLatent(subspace.decoder, result.input, box),
      region: `the subspace's ${subspace.decoder.latent} coordinates within their bounds and within ±${subspace.radius.toPrecision(4)} (the bounding box of the ball ‖w‖ ≤ ${subspace.radius.toPrecision(4)} searched, a superset of bounds ∩ ball), decoded and clipped to [${box.join(', ')}]`,
    };
  } finally {
    // The composed model shares the model's layers: dispose only what it added.
    disposeLatentLayers(composed);
  }
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

/** `certifyInPrior` over the subspace `result` was found in, its latent point as the incumbent. */
export function certifyPriorAnswer(
  model: tfl.LayersModel,
  prior: Prior,
  result: PriorResult,
  box: [number, number],
  options: Omit<PriorCertifyOptions, 'incumbentLatent'>,
) {
  return certifyInPrior(model, searchedSubspace(result, prior), box, {
    ...options,
    incumbentLatent: result.latent,
  });
}
