import { describe, expect, it } from 'vitest';
import type { Realism } from './measureRealism.ts';
import { sortedCopy } from './percentile.ts';
import { isRealistic, realismBounds, realismChecks } from './realismCriteria.ts';
import type { RealismReference } from './realismReference.ts';

// Held-out nearest distances 1..101 and residuals 0.01..1.01: the quantiles are read off by hand.
const reference = {
  heldOutNearest: sortedCopy(Array.from({ length: 101 }, (_, i) => i + 1)),
  heldOutResidual: sortedCopy(Array.from({ length: 101 }, (_, i) => (i + 1) / 100)),
} as RealismReference;

function realism(nearest: number, manifold: number, agreeing: number): Realism {
  return {
    nearestTraining: { index: 0, distance: nearest, percentile: 0 },
    manifold: { components: 1, distance: manifold, percentile: 0 },
    judges: [],
    judgesAgreeing: agreeing,
  };
}

describe('realism criteria', () => {
  it('takes the 5th and 99th percentiles of the held-out scores', () => {
    const bounds = realismBounds(reference);
    expect(bounds.nearestLow).toBeCloseTo(6, 10);
    expect(bounds.nearestHigh).toBeCloseTo(100, 10);
    expect(bounds.manifoldHigh).toBeCloseTo(1, 10);
  });
  it('fails a near copy, a far answer, one off the manifold and one a judge disputes', () => {
    const bounds = realismBounds(reference);
    expect(isRealistic(realism(50, 0.5, 3), bounds, 3)).toBe(true);
    expect(realismChecks(realism(5, 0.5, 3), bounds, 3)).toEqual({
      nearest: false,
      manifold: true,
      judges: true,
    });
    expect(realismChecks(realism(101, 0.5, 3), bounds, 3).nearest).toBe(false);
    expect(realismChecks(realism(50, 1.02, 3), bounds, 3).manifold).toBe(false);
    expect(isRealistic(realism(50, 0.5, 2), bounds, 3)).toBe(false);
  });
});
