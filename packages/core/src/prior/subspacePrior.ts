import { quantile, sortedCopy } from '../realism/percentile.ts';
import type { AffineDecoder } from './latentModel.ts';
import type { PrincipalComponents } from './pca.ts';

/**
 * The data subspace: inputs x = clip(mean + Σᵢ wᵢ σᵢ uᵢ) over the leading components uᵢ (standard
 * deviations σᵢ), searched in whitened coordinates w. Each wᵢ stays within the range the data spans
 * along uᵢ, and ‖w‖ (the Mahalanobis norm) within the norm most real examples have: box corners in
 * many dimensions lie far outside the data (a corner of 30 whitened ±3 ranges has norm 16, where
 * 95 % of real images are below 7.6).
 */
export interface SubspacePrior {
  decoder: AffineDecoder;
  /** Per-coordinate bounds on w (whitened units), `decoder.latent` values each. */
  lo: Float32Array;
  hi: Float32Array;
  /** Bound on ‖w‖. */
  radius: number;
}

export interface SubspaceSettings {
  /** Leading components kept. */
  latent: number;
  /** Each coordinate's bounds are its `q` and `1 − q` quantiles over the sample. */
  boundQuantile: number;
  /** The radius is this quantile of the sample's whitened norms. */
  radiusQuantile: number;
}

/** `coordinates`: `[count, pcs.count]` coordinates of the sample along the components. */
export function subspacePrior(
  pcs: PrincipalComponents,
  coordinates: Float32Array,
  count: number,
  settings: SubspaceSettings,
): SubspacePrior {
  const latent = Math.min(settings.latent, pcs.count);
  const sigma = Array.from(pcs.variances.subarray(0, latent), (v) => Math.sqrt(Math.max(v, 1e-12)));
  const lo = new Float32Array(latent);
  const hi = new Float32Array(latent);
  const column = new Float64Array(count);
  for (let c = 0; c < latent; c++) {
    for (let i = 0; i < count; i++) column[i] = coordinates[i * pcs.count + c]! / sigma[c]!;
    const sorted = sortedCopy(column);
    lo[c] = quantile(sorted, settings.boundQuantile);
    hi[c] = quantile(sorted, 1 - settings.boundQuantile);
  }
  const norms = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let c = 0; c < latent; c++) sum += (coordinates[i * pcs.count + c]! / sigma[c]!) ** 2;
    norms[i] = Math.sqrt(sum);
  }
  const basis = new Float32Array(latent * pcs.size);
  for (let c = 0; c < latent; c++) {
    for (let j = 0; j < pcs.size; j++)
      basis[c * pcs.size + j] = pcs.components[c * pcs.size + j]! * sigma[c]!;
  }
  return {
    decoder: { latent, size: pcs.size, offset: Float32Array.from(pcs.mean), basis },
    lo,
    hi,
    radius: quantile(sortedCopy(norms), settings.radiusQuantile),
  };
}
