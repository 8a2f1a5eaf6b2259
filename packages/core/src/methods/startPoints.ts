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

/**
 * `restarts` vertices of the bounds, from sparse to dense: in start s each input sits at its upper
 * bound with probability pₛ = ((s + ½) / restarts)², else at its lower bound (then projected when
 * there are constraints beyond the bounds). Why: the maximum of a ReLU network's output over a box
 * sits at a vertex, and which local maximum Adam reaches is decided in its first steps, by where it
 * starts. Uniform noise starts all look alike (half grey) and reach the same few basins; on the
 * Fashion-MNIST MLPs the sparse (mostly dark) starts reach the best basins most often, hence the
 * squared spacing (half the starts have pₛ < ¼), and the dense ones still cover the rest.
 */
export function sparseToDenseStarts(set: FeasibleSet, restarts: number, random: () => number): Float32Array {
  const { lo, hi } = set.bounds32;
  const size = set.input.size;
  const data = new Float32Array(restarts * size);
  for (let s = 0; s < restarts; s++) {
    const p = ((s + 0.5) / restarts) ** 2;
    for (let i = 0; i < size; i++) data[s * size + i] = random() < p ? hi[i]! : lo[i]!;
    if (!set.isBox) set.project(data.subarray(s * size, (s + 1) * size));
  }
  return data;
}
