/** Sorted copy, ascending, for `percentileOf` and `quantile`. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>).sort();
}

/**
 * Where `value` falls among the reference values, in percent: the share of references below it plus
 * half the share equal to it (the mid-rank convention), so the median of the references reads 50.
 */
export function percentileOf(sorted: Float64Array, value: number): number {
  let below = 0;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  below = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  const equal = lo - below;
  return (100 * (below + equal / 2)) / sorted.length;
}

/** The q-quantile (q in [0, 1]) of sorted values, linear between order statistics. */
export function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower]! + (position - lower) * (sorted[upper]! - sorted[lower]!);
}
