import { describe, expect, it } from 'vitest';
import { measureRealism } from './measureRealism.ts';
import { nearestExample } from './nearestExample.ts';
import { percentileOf, quantile, sortedCopy } from './percentile.ts';
import { coordinatesOf, type RealismReference } from './realismReference.ts';

describe('percentileOf', () => {
  const sorted = sortedCopy([5, 1, 4, 2, 3, 3]);
  it('counts the references below and half of those equal', () => {
    expect(percentileOf(sorted, 0)).toBe(0);
    expect(percentileOf(sorted, 6)).toBe(100);
    expect(percentileOf(sorted, 3)).toBe((100 * (2 + 1)) / 6);
    expect(percentileOf(sorted, 2.5)).toBe((100 * 2) / 6);
  });
  it('reads the median of 1..101 as 50', () => {
    const values = sortedCopy(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(percentileOf(values, 51)).toBe(50);
    expect(quantile(values, 0.5)).toBe(51);
    expect(quantile(values, 0.995)).toBeCloseTo(100.5, 10);
  });
});

/**
 * A 3-D world with known answers: training points on the x–y plane (the one "component" plane is
 * x, y), the reference's held-out scores given by hand.
 */
function reference(): RealismReference {
  const train = [
    [0, 0, 0],
    [1, 0, 0],
    [0, 2, 0],
    [3, 3, 0],
  ];
  const values = Float32Array.from(train.flat());
  const mean = new Float32Array(3);
  const components = Float32Array.from([1, 0, 0, 0, 1, 0]);
  const coordinates = Float32Array.from(train.flatMap(([x, y]) => [x!, y!]));
  return {
    mean,
    components,
    train: { values, count: 4, size: 3, coordinates, components: 2, residuals: new Float32Array(4) },
    trainLabels: Uint8Array.from([0, 1, 2, 3]),
    heldOutNearest: sortedCopy([0.5, 1, 1.5, 2]),
    heldOutResidual: sortedCopy([0.1, 0.2, 0.3, 0.4]),
  };
}

describe('measureRealism', () => {
  it('finds the nearest training point exactly and places the distances among the held-out ones', () => {
    const realism = measureRealism(Float32Array.from([2.8, 2.6, 0.25]), reference(), [], [3]);
    expect(realism.nearestTraining.index).toBe(3);
    expect(realism.nearestTraining.label).toBe(3);
    expect(realism.nearestTraining.distance).toBeCloseTo(Math.hypot(0.2, 0.4, 0.25), 6);
    // 0.51 lies above one of the four held-out distances (0.5).
    expect(realism.nearestTraining.percentile).toBe(25);
    // Off the x–y plane by 0.25: above two of the four held-out residuals.
    expect(realism.manifold.distance).toBeCloseTo(0.25, 6);
    expect(realism.manifold.percentile).toBe(50);
    expect(realism.judges).toEqual([]);
  });

  it('agrees with a brute-force search on random data (the pruning never drops the answer)', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const size = 6;
    const count = 300;
    const values = Float32Array.from({ length: count * size }, random);
    const mean = new Float32Array(size).fill(0.5);
    // Two orthonormal directions.
    const components = Float32Array.from([
      ...[1, 1, 1, 1, 1, 1].map((v) => v / Math.sqrt(6)),
      ...[1, -1, 1, -1, 1, -1].map((v) => v / Math.sqrt(6)),
    ]);
    const coordinates = new Float32Array(count * 2);
    const residuals = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const at = coordinatesOf(mean, components, 2, values.subarray(i * size, (i + 1) * size));
      coordinates.set(at.coordinates, i * 2);
      residuals[i] = at.residual;
    }
    const index = { values, count, size, coordinates, components: 2, residuals };
    for (let q = 0; q < 50; q++) {
      const query = Float32Array.from({ length: size }, random);
      let best = Number.POSITIVE_INFINITY;
      let bestIndex = -1;
      for (let i = 0; i < count; i++) {
        let sum = 0;
        for (let j = 0; j < size; j++) sum += (query[j]! - values[i * size + j]!) ** 2;
        if (sum < best) [best, bestIndex] = [sum, i];
      }
      const found = nearestExample(index, query, coordinatesOf(mean, components, 2, query));
      expect(found.index).toBe(bestIndex);
      expect(found.distance).toBeCloseTo(Math.sqrt(best), 6);
    }
  });
});
