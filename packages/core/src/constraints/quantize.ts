import { InvalidArgumentError } from '../errors.ts';
import type { Bounds } from './box.ts';

const maxLevels = 2 ** 24;

export function parseQuantize(spec: { levels: number }): { levels: number } {
  const levels = spec?.levels;
  if (typeof levels !== 'number' || !Number.isInteger(levels) || levels < 2 || levels > maxLevels) {
    throw new InvalidArgumentError(
      'constraints.quantize.levels',
      levels,
      `an integer in [2, ${maxLevels}] (e.g. 256)`,
    );
  }
  return { levels };
}

export type Rounding = 'nearest' | 'toward-anchor' | 'down' | 'up';
export const roundings: Rounding[] = ['nearest', 'toward-anchor', 'down', 'up'];

/** What quantising reads of a FeasibleSet: the box the grid spans, the bounds, a feasible anchor. */
export interface QuantizeGrid {
  box: Bounds;
  bounds: Bounds;
  anchor: ArrayLike<number>;
}

/**
 * `x` moved onto the grid of `levels` evenly spaced values spanning the box, choosing among the grid
 * values inside the other per-input bounds. Several roundings are offered because rounding to the
 * nearest value can break a linear or L2 constraint that rounding down, up or toward the feasible
 * anchor keeps; the caller evaluates them and keeps the best feasible one. Inputs pinned by a mask keep
 * their reference value; inputs whose bounds hold no grid value take the nearest one (and show up as
 * violation).
 */
export function quantizeInput(
  x: ArrayLike<number>,
  set: QuantizeGrid,
  levels: number,
  rounding: Rounding,
): Float32Array {
  const { box, bounds, anchor } = set;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const lo = box.lo[i]!;
    const step = (box.hi[i]! - lo) / (levels - 1);
    if (step === 0 || bounds.lo[i] === bounds.hi[i]) {
      out[i] = bounds.lo[i] === bounds.hi[i] ? bounds.lo[i]! : lo;
      continue;
    }
    const t = (x[i]! - lo) / step;
    let k: number;
    if (rounding === 'nearest') k = Math.round(t);
    else if (rounding === 'down') k = Math.floor(t);
    else if (rounding === 'up') k = Math.ceil(t);
    else k = anchor[i]! < x[i]! ? Math.floor(t) : Math.ceil(t);
    const kMin = Math.ceil((bounds.lo[i]! - lo) / step - 1e-9);
    const kMax = Math.floor((bounds.hi[i]! - lo) / step + 1e-9);
    k = kMin <= kMax ? Math.min(kMax, Math.max(kMin, k)) : Math.round(t);
    out[i] = lo + Math.min(levels - 1, Math.max(0, k)) * step;
  }
  return out;
}
