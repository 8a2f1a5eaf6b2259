import type { Bounds } from './box.ts';
import { EmptyFeasibleSetError } from './emptyFeasibleSet.ts';
import { finiteNonNegative, type InputDescription, inputVector } from './vectors.ts';

export interface LinfBall {
  reference: Float64Array;
  epsilon: number;
}

/** `‖x − reference‖∞ ≤ epsilon`: a box of its own, so it is intersected with the box exactly. */
export function parseLinfBall(
  spec: { reference: ArrayLike<number>; epsilon: number },
  input: InputDescription,
): LinfBall {
  return {
    reference: inputVector(spec.reference, input, 'constraints.linf.reference'),
    epsilon: finiteNonNegative(spec.epsilon, 'constraints.linf.epsilon'),
  };
}

/** Narrows `bounds` in place to the ball; reports the first input where nothing is left. */
export function intersectLinfBall(bounds: Bounds, { reference, epsilon }: LinfBall): void {
  for (let i = 0; i < reference.length; i++) {
    const lo = Math.max(bounds.lo[i]!, reference[i]! - epsilon);
    const hi = Math.min(bounds.hi[i]!, reference[i]! + epsilon);
    if (lo > hi) {
      throw new EmptyFeasibleSetError(
        `the L∞ ball around reference ${reference[i]} (ε ${epsilon}) misses [${bounds.lo[i]}, ${bounds.hi[i]}] at input ${i}`,
      );
    }
    bounds.lo[i] = lo;
    bounds.hi[i] = hi;
  }
}

export function linfViolation(x: ArrayLike<number>, { reference, epsilon }: LinfBall): number {
  let worst = 0;
  for (let i = 0; i < reference.length; i++)
    worst = Math.max(worst, Math.abs(x[i]! - reference[i]!) - epsilon);
  return worst;
}
