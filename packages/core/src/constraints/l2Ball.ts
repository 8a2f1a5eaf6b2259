import type { BoundsLike } from './box.ts';
import { EmptyFeasibleSetError } from './emptyFeasibleSet.ts';
import { nonincreasingRoot } from './monotoneRoot.ts';
import { finiteNonNegative, type InputDescription, inputVector } from './vectors.ts';

export interface L2Ball {
  center: Float64Array;
  radius: number;
}

/** `‖x − reference‖₂ ≤ epsilon`, intersected with the box. */
export function parseL2Ball(
  spec: { reference: ArrayLike<number>; epsilon: number },
  input: InputDescription,
): L2Ball {
  return {
    center: inputVector(spec.reference, input, 'constraints.l2.reference'),
    radius: finiteNonNegative(spec.epsilon, 'constraints.l2.epsilon'),
  };
}

export function l2Distance(x: ArrayLike<number>, center: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < center.length; i++) {
    const d = x[i]! - center[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

export function l2Violation(x: ArrayLike<number>, ball: L2Ball): number {
  return Math.max(0, l2Distance(x, ball.center) - ball.radius);
}

/** Reports a ball that does not reach the bounds (the distance from its centre to the box exceeds ε). */
export function checkBallMeetsBounds(ball: L2Ball, bounds: BoundsLike): void {
  const nearest = clipped(ball.center, bounds, 1, ball.center, new Float64Array(ball.center.length));
  const distance = l2Distance(nearest, ball.center);
  if (distance > ball.radius) {
    throw new EmptyFeasibleSetError(
      `the L2 ball (ε ${ball.radius}) lies ${distance.toPrecision(4)} away from the box`,
    );
  }
}

/**
 * Exact Euclidean projection onto box ∩ ball. The KKT conditions give x(s) = clip((1 − s)·y + s·c)
 * for a multiplier s in [0, 1], and ‖x(s) − c‖ falls as s grows, so one scalar root finds it.
 */
export function projectBoxBall(
  y: ArrayLike<number>,
  bounds: BoundsLike,
  ball: L2Ball,
  out: Float64Array,
): Float64Array {
  const excess = (s: number) =>
    l2Distance(clipped(y, bounds, s, ball.center, out), ball.center) - ball.radius;
  const f0 = excess(0);
  if (f0 <= 0) return out;
  const s = nonincreasingRoot(excess, 0, f0, 1, excess(1), 1e-12 * Math.max(1, ball.radius));
  return clipped(y, bounds, s, ball.center, out);
}

function clipped(
  y: ArrayLike<number>,
  { lo, hi }: BoundsLike,
  s: number,
  c: Float64Array,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < out.length; i++)
    out[i] = Math.min(hi[i]!, Math.max(lo[i]!, (1 - s) * y[i]! + s * c[i]!));
  return out;
}
