import type { FeasibleSet } from '../constraints/feasibleSet.ts';
import { type LinearDomain, linearDomain } from '../lp/linearDomain.ts';

/**
 * The input region bounds are computed over: the feasible set's linear part (lp/linearDomain.ts). An L2
 * ball is not linear; its bounding box stands in for it (a superset, so every bound stays sound), and
 * `relaxed` says so. Quantisation is ignored the same way (the grid lies in the box). Candidate inputs
 * are checked against the set itself, ball included.
 */
export interface CertifyRegion extends LinearDomain {
  set: FeasibleSet;
  /** What was replaced by a superset, when something was. */
  relaxed?: string;
}

export function certifyRegion(set: FeasibleSet): CertifyRegion {
  const domain = linearDomain(set);
  const relaxed: string[] = [];
  if (set.ball) {
    const { center, radius } = set.ball;
    for (let i = 0; i < domain.lo.length; i++) {
      domain.lo[i] = Math.max(domain.lo[i]!, center[i]! - radius);
      domain.hi[i] = Math.min(domain.hi[i]!, center[i]! + radius);
    }
    relaxed.push('the L2 ball is bounded through its bounding box');
  }
  if (set.quantize) relaxed.push('quantisation is bounded over the continuous region');
  return { ...domain, set, ...(relaxed.length > 0 ? { relaxed: relaxed.join('; ') } : {}) };
}

/**
 * `x` as float32 inside the per-input bounds: rounding to float32 may step just outside a bound, so
 * such values move one float32 step inward.
 */
export function toFloat32Inside(x: ArrayLike<number>, region: CertifyRegion): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const lo = region.lo[i]!;
    const hi = region.hi[i]!;
    let v = Math.fround(Math.min(hi, Math.max(lo, x[i]!)));
    if (v > hi) v = nextFloat32Toward(v, lo);
    if (v < lo) v = nextFloat32Toward(v, hi);
    out[i] = v;
  }
  return out;
}

function nextFloat32Toward(v: number, target: number): number {
  const buffer = new Float32Array([v]);
  const bits = new Int32Array(buffer.buffer);
  const up = target > v;
  if (v === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  bits[0]! += v > 0 === up ? 1 : -1;
  return buffer[0]!;
}
