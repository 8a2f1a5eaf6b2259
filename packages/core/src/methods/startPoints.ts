import type { FeasibleSet } from '../constraints/feasibleSet.ts';

/**
 * `restarts` feasible inputs, flat `[restarts, D]`: uniform in the per-input bounds, then projected
 * when there are constraints beyond the bounds.
 */
export function uniformStarts(
  set: FeasibleSet,
  restarts: number,
  random: () => number,
  project = true,
): Float32Array {
  const { lo, hi } = set.bounds32;
  const size = set.input.size;
  const data = new Float32Array(restarts * size);
  for (let s = 0; s < restarts; s++) {
    for (let i = 0; i < size; i++) data[s * size + i] = lo[i]! + random() * (hi[i]! - lo[i]!);
    if (project && !set.isBox) set.project(data.subarray(s * size, (s + 1) * size));
  }
  return data;
}

/** Projects every row of a flat `[rows, D]` array in place. */
export function projectRows(set: FeasibleSet, data: Float32Array): Float32Array {
  const size = set.input.size;
  for (let at = 0; at < data.length; at += size) set.project(data.subarray(at, at + size));
  return data;
}
