import { clipToBox } from '../constraints/box.ts';
import type { FeasibleSet } from '../constraints/feasibleSet.ts';

export interface LinearRow {
  coefficients: Float64Array;
  lower: number;
  upper: number;
}

/** The constraints as per-input bounds plus linear rows: the form an LP takes directly. */
export interface LinearDomain {
  lo: Float64Array;
  hi: Float64Array;
  rows: LinearRow[];
}

/**
 * The linear part of a feasible set as LP bounds and rows: its per-input bounds (box ∩ L∞ ball ∩ mask,
 * copied) and one row `w·x ≤ b` per halfspace. The one place constraints become LP rows; an L2 ball is
 * not linear, so each caller decides what stands in for it.
 */
export function linearDomain(set: FeasibleSet): LinearDomain {
  return {
    lo: Float64Array.from(set.bounds.lo),
    hi: Float64Array.from(set.bounds.hi),
    rows: set.halfspaces.map((h) => ({ coefficients: h.w, lower: Number.NEGATIVE_INFINITY, upper: h.b })),
  };
}

/** A copy of `x` clamped into the domain's per-input bounds (its rows are not enforced). */
export function clipToDomain(x: ArrayLike<number>, domain: LinearDomain): Float64Array {
  return clipToBox(Float64Array.from(x), domain);
}
