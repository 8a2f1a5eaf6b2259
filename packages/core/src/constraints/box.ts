import { InvalidArgumentError } from '../errors.ts';
import type { Bound } from '../spec/types.ts';
import { type InputDescription, scalarOrVector } from './vectors.ts';

export interface Bounds {
  lo: Float64Array;
  hi: Float64Array;
}

/** Read-only per-input bounds in any precision. */
export interface BoundsLike {
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
}

/** The default box: inputs in [0, 1], as for images scaled to unit range. */
export const defaultBox = { lo: 0, hi: 1 } as const;

/** `lo ≤ x ≤ hi`, each a scalar or one value per input. */
export function parseBox(spec: { lo: Bound; hi: Bound } | undefined, input: InputDescription): Bounds {
  const { lo: loSpec, hi: hiSpec } = spec ?? defaultBox;
  const lo = scalarOrVector(loSpec, input, 'constraints.box.lo');
  const hi = scalarOrVector(hiSpec, input, 'constraints.box.hi');
  for (let i = 0; i < lo.length; i++) {
    if (lo[i]! > hi[i]!) {
      throw new InvalidArgumentError(
        'constraints.box',
        `lo ${lo[i]} > hi ${hi[i]}${typeof loSpec === 'number' && typeof hiSpec === 'number' ? '' : ` at input ${i}`}`,
        'lo ≤ hi for every input',
      );
    }
  }
  return { lo, hi };
}

/** Largest distance outside [lo, hi] over all inputs (0 inside). */
export function boxViolation(x: ArrayLike<number>, { lo, hi }: BoundsLike): number {
  let worst = 0;
  for (let i = 0; i < lo.length; i++) {
    const v = x[i]!;
    const d = v < lo[i]! ? lo[i]! - v : v - hi[i]!;
    if (d > worst) worst = d;
  }
  return worst;
}

/** Clamps `x` into [lo, hi] in place. */
export function clipToBox(x: Float64Array, { lo, hi }: BoundsLike): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(hi[i]!, Math.max(lo[i]!, x[i]!));
  return x;
}
