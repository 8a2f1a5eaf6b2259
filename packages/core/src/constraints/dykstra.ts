/** Projection onto one convex set, writing into `out` (which it returns). */
export type Projector = (y: ArrayLike<number>, out: Float64Array) => Float64Array;

/**
 * Dykstra's alternating projections: converges to the Euclidean projection of `y` onto the intersection
 * of the sets (plain alternating projections would only find some point of it). Stops after
 * `maxIterations` passes or as soon as `done(x)`; the result may be slightly infeasible, so callers
 * finish with a pull toward a feasible anchor.
 */
export function dykstra(
  y: ArrayLike<number>,
  projectors: Projector[],
  maxIterations: number,
  done: (x: Float64Array) => boolean,
): Float64Array {
  const n = y.length;
  const x = Float64Array.from(y);
  const increments = projectors.map(() => new Float64Array(n));
  const shifted = new Float64Array(n);
  const z = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    projectors.forEach((project, j) => {
      const p = increments[j]!;
      for (let i = 0; i < n; i++) shifted[i] = x[i]! + p[i]!;
      project(shifted, z);
      for (let i = 0; i < n; i++) {
        p[i] = shifted[i]! - z[i]!;
        x[i] = z[i]!;
      }
    });
    if (done(x)) break;
  }
  return x;
}
