import type { Realism } from './measureRealism.ts';
import { quantile } from './percentile.ts';
import type { RealismReference } from './realismReference.ts';

/**
 * When an input counts as realistic (issue 16's criteria): its nearest training example no nearer
 * than the 5th and no farther than the 99th percentile of held-out real examples' own nearest
 * distances (nearer: a copy; farther: nothing like the data), its distance off the manifold within
 * their 99th percentile, and every judge naming the target class.
 */
export interface RealismBounds {
  nearestLow: number;
  nearestHigh: number;
  manifoldHigh: number;
}

export function realismBounds(reference: RealismReference): RealismBounds {
  return {
    nearestLow: quantile(reference.heldOutNearest, 0.05),
    nearestHigh: quantile(reference.heldOutNearest, 0.99),
    manifoldHigh: quantile(reference.heldOutResidual, 0.99),
  };
}

/** Which realism criteria `realism` meets (judges: all of `judgeCount` agree with the target). */
export function realismChecks(realism: Realism, bounds: RealismBounds, judgeCount: number) {
  const nearest = realism.nearestTraining.distance;
  return {
    nearest: nearest >= bounds.nearestLow && nearest <= bounds.nearestHigh,
    manifold: realism.manifold.distance <= bounds.manifoldHigh,
    judges: realism.judgesAgreeing === judgeCount,
  };
}

export function isRealistic(realism: Realism, bounds: RealismBounds, judgeCount: number): boolean {
  return Object.values(realismChecks(realism, bounds, judgeCount)).every(Boolean);
}
