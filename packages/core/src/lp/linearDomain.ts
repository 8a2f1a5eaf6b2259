import { clipToBox } from '../constraints/box.ts';
import type { Bound, ConstraintSpec } from '../spec/types.ts';

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
 * Box ∩ L∞ ball ∩ mask become per-input bounds; linear constraints become rows. An L2 ball is not
 * linear, and an empty intersection has nothing to polish: both return the reason.
 */
export function linearDomain(spec: ConstraintSpec, size: number): LinearDomain | { unsupported: string } {
  if (spec.l2) return { unsupported: 'an L2 ball is not a linear constraint' };
  const lo = new Float64Array(size);
  const hi = new Float64Array(size);
  const boxLo = spec.box?.lo ?? 0;
  const boxHi = spec.box?.hi ?? 1;
  for (let i = 0; i < size; i++) {
    lo[i] = boundAt(boxLo, i);
    hi[i] = boundAt(boxHi, i);
  }
  if (spec.linf) {
    const { reference, epsilon } = spec.linf;
    for (let i = 0; i < size; i++) {
      lo[i] = Math.max(lo[i]!, reference[i]! - epsilon);
      hi[i] = Math.min(hi[i]!, reference[i]! + epsilon);
    }
  }
  if (spec.mask) {
    const { fixed, reference } = spec.mask;
    for (let i = 0; i < size; i++) {
      if (!fixed[i]) continue;
      const value = reference[i]!;
      if (value < lo[i]! || value > hi[i]!) {
        return {
          unsupported: `masked input ${i} is held at ${value}, outside its bounds [${lo[i]}, ${hi[i]}]`,
        };
      }
      lo[i] = value;
      hi[i] = value;
    }
  }
  for (let i = 0; i < size; i++) {
    if (!(lo[i]! <= hi[i]!)) return { unsupported: `the constraints leave no value for input ${i}` };
  }
  const rows = (spec.linear ?? []).map(
    (c): LinearRow => ({
      coefficients:
        c.weights === 'mean' ? new Float64Array(size).fill(1 / size) : Float64Array.from(c.weights),
      lower: c.sense === '>=' ? c.bound : Number.NEGATIVE_INFINITY,
      upper: c.sense === '<=' ? c.bound : Number.POSITIVE_INFINITY,
    }),
  );
  return { lo, hi, rows };
}

function boundAt(bound: Bound, i: number): number {
  return typeof bound === 'number' ? bound : (bound[i] as number);
}

/** A copy of `x` clamped into the domain's per-input bounds (its rows are not enforced). */
export function clipToDomain(x: ArrayLike<number>, domain: LinearDomain): Float64Array {
  return clipToBox(Float64Array.from(x), domain);
}
