import { InvalidArgumentError } from '../errors.ts';
import type { LinearConstraintSpec } from '../spec/types.ts';
import type { BoundsLike } from './box.ts';
import { EmptyFeasibleSetError } from './emptyFeasibleSet.ts';
import { nonincreasingRoot } from './monotoneRoot.ts';
import { type InputDescription, inputVector } from './vectors.ts';

/** `w·x ≤ b` with ‖w‖₂ = 1 (a `>=` constraint is stored negated). */
export interface Halfspace {
  w: Float64Array;
  b: number;
  /** Converts `w·x − b` to the constraint's own units: the mean's for 'mean', else a distance in input units. */
  unit: number;
  argument: string;
}

/** "mean intensity ≤ c" (`weights: 'mean'`) or any `Σ wᵢ·xᵢ ≤ / ≥ bound`. */
export function parseLinearInequality(
  spec: LinearConstraintSpec,
  index: number,
  input: InputDescription,
): Halfspace {
  const argument = `constraints.linear[${index}]`;
  if (spec?.sense !== '<=' && spec?.sense !== '>=') {
    throw new InvalidArgumentError(`${argument}.sense`, spec?.sense, "'<=' or '>='");
  }
  if (typeof spec.bound !== 'number' || !Number.isFinite(spec.bound)) {
    throw new InvalidArgumentError(`${argument}.bound`, spec.bound, 'a finite number');
  }
  const mean = spec.weights === 'mean';
  const w = mean
    ? new Float64Array(input.size).fill(1 / input.size)
    : inputVector(spec.weights, input, `${argument}.weights`);
  let norm = 0;
  for (const v of w) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm === 0)
    throw new InvalidArgumentError(`${argument}.weights`, 'all zeros', 'at least one non-zero weight');
  const sign = spec.sense === '<=' ? 1 : -1;
  for (let i = 0; i < w.length; i++) w[i] = (sign * w[i]!) / norm;
  return { w, b: (sign * spec.bound) / norm, unit: mean ? norm : 1, argument };
}

export function dot(w: Float64Array, x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i]! * x[i]!;
  return sum;
}

export function halfspaceViolation(x: ArrayLike<number>, h: Halfspace): number {
  return Math.max(0, (dot(h.w, x) - h.b) * h.unit);
}

/** Reports a halfspace that no point of the bounds satisfies. */
export function checkHalfspaceMeetsBounds(h: Halfspace, { lo, hi }: BoundsLike): void {
  let least = 0;
  for (let i = 0; i < h.w.length; i++) least += Math.min(h.w[i]! * lo[i]!, h.w[i]! * hi[i]!);
  if (least > h.b + 1e-12) {
    throw new EmptyFeasibleSetError(`${h.argument} cannot hold for any input in the box`);
  }
}

/**
 * Exact Euclidean projection onto box ∩ {w·x ≤ b}: x(λ) = clip(y − λ·w) for the multiplier λ ≥ 0
 * where w·x(λ) = b (w·x(λ) falls as λ grows; a scalar root finds it).
 */
export function projectBoxHalfspace(
  y: ArrayLike<number>,
  bounds: BoundsLike,
  h: Halfspace,
  out: Float64Array,
): Float64Array {
  const { lo, hi } = bounds;
  const excess = (lambda: number) => {
    for (let i = 0; i < out.length; i++)
      out[i] = Math.min(hi[i]!, Math.max(lo[i]!, y[i]! - lambda * h.w[i]!));
    return dot(h.w, out) - h.b;
  };
  const f0 = excess(0);
  if (f0 <= 0) return out;
  // Past the largest breakpoint every input sits at the bound that minimises w·x.
  let top = 0;
  for (let i = 0; i < out.length; i++) {
    const w = h.w[i]!;
    if (w > 0) top = Math.max(top, (y[i]! - lo[i]!) / w);
    else if (w < 0) top = Math.max(top, (y[i]! - hi[i]!) / w);
  }
  const lambda = nonincreasingRoot(excess, 0, f0, top, excess(top), 1e-12);
  excess(lambda);
  return out;
}
