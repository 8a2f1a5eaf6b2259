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
