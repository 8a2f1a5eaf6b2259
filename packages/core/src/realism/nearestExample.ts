/**
 * Exact nearest-neighbour search among reference examples, pruned by their principal-component
 * coordinates. With P the projection onto orthonormal components and R = I − P the residual,
 * ‖x − y‖² = ‖P(x − y)‖² + ‖R(x − y)‖² ≥ ‖P(x − y)‖² + (‖Rx‖ − ‖Ry‖)² (reverse triangle inequality),
 * so references are visited in order of that lower bound and the search stops when the bound passes
 * the best exact distance found: the answer is exact, and a real image's neighbour is usually among
 * the first few hundred candidates of 60,000.
 */
export interface Nearest {
  /** Row of the reference set. */
  index: number;
  /** Euclidean distance, computed exactly (float64). */
  distance: number;
}

/** References with their coordinates along `components` orthonormal directions. */
export interface IndexedReference {
  /** `count * size` values, example after example. */
  values: Float32Array;
  count: number;
  size: number;
  /** `count * components` coordinates (relative to `mean`). */
  coordinates: Float32Array;
  components: number;
  /** Residual norm ‖R(y − mean)‖ of each reference. */
  residuals: Float32Array;
}

/** What the search needs to know about a query: its coordinates and residual norm. */
export interface QueryCoordinates {
  coordinates: ArrayLike<number>;
  residual: number;
}

export function nearestExample(
  reference: IndexedReference,
  query: Float32Array,
  at: QueryCoordinates,
  skip?: (row: number) => boolean,
): Nearest {
  const { count, components, coordinates, residuals, values, size } = reference;
  const bounds = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    const row = i * components;
    for (let c = 0; c < components; c++) {
      const d = at.coordinates[c]! - coordinates[row + c]!;
      sum += d * d;
    }
    const r = at.residual - residuals[i]!;
    bounds[i] = sum + r * r;
  }
  // The exact distance to the reference of smallest bound caps the search: only references whose
  // bound is below it can be nearer, usually a few hundred, so only those are sorted.
  let first = 0;
  for (let i = 1; i < count; i++) if (bounds[i]! < bounds[first]!) first = i;
  let best = { index: -1, squared: Number.POSITIVE_INFINITY };
  const visit = (i: number) => {
    if (skip?.(i)) return;
    let sum = 0;
    const row = i * size;
    for (let k = 0; k < size; k++) {
      const d = query[k]! - values[row + k]!;
      sum += d * d;
    }
    if (sum < best.squared) best = { index: i, squared: sum };
  };
  visit(first);
  // A little slack for the float32 coordinates' round-off in the bound.
  const slack = (squared: number) => squared * (1 + 1e-5) + 1e-6;
  const candidates: number[] = [];
  const cap = slack(best.squared);
  for (let i = 0; i < count; i++) if (bounds[i]! <= cap && i !== first) candidates.push(i);
  candidates.sort((a, b) => bounds[a]! - bounds[b]!);
  for (const i of candidates) {
    if (bounds[i]! > slack(best.squared)) break;
    visit(i);
  }
  return { index: best.index, distance: Math.sqrt(best.squared) };
}
