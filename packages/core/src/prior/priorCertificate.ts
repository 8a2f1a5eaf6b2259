import { relativeGap } from '../certify/relativeGap.ts';
import type { Certificate, CertifyOptions } from '../certify/types.ts';

export interface PriorCertifyOptions extends Omit<CertifyOptions, 'constraints' | 'incumbent'> {
  /** The best latent point known (e.g. the search's answer), checked and evaluated, never trusted. */
  incumbentLatent?: Float32Array;
}

/** A certificate over a subspace: what `certify` gives, with the best point as latent and as image. */
export type PriorCertificate = Omit<Certificate, 'input'> & {
  /** The best point found, in the subspace's whitened coordinates, and its decoded (clipped) image. */
  latent: Float32Array;
  input: Float32Array;
  /** The two bounds `upperBound` is the smaller of (see certifyInPrior). */
  boundsBy: { latent: number; inputRanges: number };
  /** What the bound holds over, in words (the region searched, or a superset of it). */
  region: string;
};

/**
 * A prior's certificate from its two sound bounds, each certified on half the time: `latent` (the
 * model on latent coordinates, whose best point is a point of the prior) and `byRanges` (the model
 * over each input value's range on the prior's set). The smaller bound is kept, never below the best
 * value found; the best point is given as latent and decoded.
 */
export function smallerPriorBound(
  latent: Certificate,
  byRanges: Certificate,
  decode: (latent: Float32Array) => Float32Array,
  tolerance: number,
  region: string,
): PriorCertificate {
  const upperBound = Math.max(latent.bestValue, Math.min(latent.upperBound, byRanges.upperBound));
  const gap = relativeGap(upperBound, latent.bestValue);
  return {
    ...latent,
    upperBound,
    gap,
    proven: latent.proven || gap <= tolerance,
    method: byRanges.upperBound < latent.upperBound ? byRanges.method : latent.method,
    seconds: latent.seconds + byRanges.seconds,
    boundsBy: { latent: latent.upperBound, inputRanges: byRanges.upperBound },
    latent: latent.input,
    input: decode(latent.input),
    region,
  };
}
