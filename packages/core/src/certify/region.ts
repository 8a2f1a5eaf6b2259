import { type LinearRow, linearDomain } from '../lp/linearDomain.ts';
import type { ConstraintSpec } from '../spec/types.ts';

/**
 * The input region bounds are computed over: per-input bounds (box ∩ L∞ ball ∩ mask) and linear rows.
 * An L2 ball is not linear; it is replaced by its bounding box (a superset, so every bound stays
 * sound), and `relaxed` says so. Quantisation is ignored the same way (the grid lies in the box).
 */
export interface CertifyRegion {
  lo: Float64Array;
  hi: Float64Array;
  rows: LinearRow[];
  l2?: { reference: ArrayLike<number>; epsilon: number };
  /** What was replaced by a superset, when something was. */
  relaxed?: string;
}

/** Feasibility tolerance for candidate inputs (the engine's promise for projected methods). */
export const feasibleWithin = 1e-6;

export function certifyRegion(spec: ConstraintSpec, size: number): CertifyRegion | { unsupported: string } {
  const { l2, quantize: _quantize, ...linear } = spec;
  const domain = linearDomain(linear, size);
  if ('unsupported' in domain) return domain;
  const relaxed: string[] = [];
  if (l2) {
    for (let i = 0; i < size; i++) {
      domain.lo[i] = Math.max(domain.lo[i]!, l2.reference[i]! - l2.epsilon);
      domain.hi[i] = Math.min(domain.hi[i]!, l2.reference[i]! + l2.epsilon);
      if (!(domain.lo[i]! <= domain.hi[i]!))
        return { unsupported: `the constraints leave no value for input ${i}` };
    }
    relaxed.push('the L2 ball is bounded through its bounding box');
  }
  if (spec.quantize) relaxed.push('quantisation is bounded over the continuous region');
  return {
    lo: domain.lo,
    hi: domain.hi,
    rows: domain.rows,
    ...(l2 ? { l2 } : {}),
    ...(relaxed.length > 0 ? { relaxed: relaxed.join('; ') } : {}),
  };
}

/** Largest violation of the region's constraints at `x` (0 inside). */
export function regionViolation(region: CertifyRegion, x: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < region.lo.length; i++) {
    worst = Math.max(worst, region.lo[i]! - x[i]!, x[i]! - region.hi[i]!);
  }
  for (const row of region.rows) {
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += row.coefficients[i]! * x[i]!;
    worst = Math.max(worst, row.lower - sum, sum - row.upper);
  }
  if (region.l2) {
    let sq = 0;
    for (let i = 0; i < x.length; i++) sq += (x[i]! - region.l2.reference[i]!) ** 2;
    worst = Math.max(worst, Math.sqrt(sq) - region.l2.epsilon);
  }
  return worst;
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
