import { InvalidArgumentError } from '../errors.ts';
import type { Bounds } from './box.ts';
import { EmptyFeasibleSetError } from './emptyFeasibleSet.ts';
import { acceptedLength, type InputDescription, inputVector } from './vectors.ts';

export interface FixedMask {
  /** Indices of the inputs held at the reference. */
  fixed: Uint32Array;
  reference: Float64Array;
}

/** Inputs where `fixed[i]` is truthy stay at `reference[i]` (e.g. "change only the top half"). */
export function parseFixedMask(
  spec: { fixed: ArrayLike<number | boolean>; reference: ArrayLike<number> },
  input: InputDescription,
): FixedMask {
  const flags = spec.fixed;
  if (flags == null || typeof flags !== 'object' || flags.length !== input.size) {
    throw new InvalidArgumentError(
      'constraints.mask.fixed',
      flags,
      `${acceptedLength(input)} (truthy = held fixed)`,
    );
  }
  const reference = inputVector(spec.reference, input, 'constraints.mask.reference');
  const fixed: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) fixed.push(i);
  return { fixed: Uint32Array.from(fixed), reference };
}

/** Pins the fixed inputs in `bounds` (lo = hi = reference); a reference outside the bounds is reported. */
export function pinFixedInputs(bounds: Bounds, { fixed, reference }: FixedMask): void {
  for (const i of fixed) {
    const r = reference[i]!;
    if (r < bounds.lo[i]! || r > bounds.hi[i]!) {
      throw new EmptyFeasibleSetError(
        `input ${i} is held fixed at ${r}, outside its other constraints [${bounds.lo[i]}, ${bounds.hi[i]}]`,
      );
    }
    bounds.lo[i] = r;
    bounds.hi[i] = r;
  }
}

export function maskViolation(x: ArrayLike<number>, { fixed, reference }: FixedMask): number {
  let worst = 0;
  for (const i of fixed) worst = Math.max(worst, Math.abs(x[i]! - reference[i]!));
  return worst;
}
