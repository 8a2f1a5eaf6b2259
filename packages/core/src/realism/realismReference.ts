import type { IndexedReference } from './nearestExample.ts';

/**
 * What realism is measured against, built once per prior: the training examples (indexed for the
 * nearest-neighbour search), the leading principal components (the data manifold's linear part),
 * and held-out real examples' own scores, sorted, so a result's score reads as a percentile of theirs.
 */
export interface RealismReference {
  /** Mean example and row-major `[components, size]` orthonormal components. */
  mean: Float32Array;
  components: Float32Array;
  train: IndexedReference;
  /** Class of each training example, when known. */
  trainLabels?: Uint8Array;
  /** Held-out examples' distances to their nearest training example, ascending. */
  heldOutNearest: Float64Array;
  /** Held-out examples' residuals off the components, ascending. */
  heldOutResidual: Float64Array;
}

/** Coordinates of `x` along the components and its residual norm ‖(x − mean) − Σ cᵢuᵢ‖. */
export function coordinatesOf(
  mean: Float32Array,
  components: Float32Array,
  count: number,
  x: ArrayLike<number>,
): { coordinates: Float64Array; residual: number } {
  const size = mean.length;
  const centred = new Float64Array(size);
  let total = 0;
  for (let j = 0; j < size; j++) {
    centred[j] = x[j]! - mean[j]!;
    total += centred[j]! * centred[j]!;
  }
  const coordinates = new Float64Array(count);
  let explained = 0;
  for (let c = 0; c < count; c++) {
    let dot = 0;
    const row = c * size;
    for (let j = 0; j < size; j++) dot += components[row + j]! * centred[j]!;
    coordinates[c] = dot;
    explained += dot * dot;
  }
  return { coordinates, residual: Math.sqrt(Math.max(0, total - explained)) };
}
