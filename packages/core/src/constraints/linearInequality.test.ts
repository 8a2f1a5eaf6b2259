import { describe, expect, it } from 'vitest';
import { seededRandom } from '../methods/random.ts';
import { dykstra } from './dykstra.ts';
import { buildFeasibleSet } from './feasibleSet.ts';
import { l2Distance } from './l2Ball.ts';
import { parseLinearInequality, projectBoxHalfspace } from './linearInequality.ts';

const n = 40;
const input = { size: n, shape: [n] };
const random = seededRandom(3);
const mean = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0) / x.length;

describe('linear inequalities', () => {
  it('projects onto box ∩ {mean ≤ c} exactly (matches Dykstra run to convergence)', () => {
    const h = parseLinearInequality({ weights: 'mean', sense: '<=', bound: 0.3 }, 0, input);
    const bounds = { lo: new Float64Array(n), hi: new Float64Array(n).fill(1) };
    const clip = (v: ArrayLike<number>, out: Float64Array) => {
      for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, v[i]!));
      return out;
    };
    const toHalfspace = (v: ArrayLike<number>, out: Float64Array) => {
      let excess = -h.b;
      for (let i = 0; i < n; i++) excess += h.w[i]! * v[i]!;
      for (let i = 0; i < n; i++) out[i] = v[i]! - Math.max(0, excess) * h.w[i]!;
      return out;
    };
    for (let trial = 0; trial < 5; trial++) {
      const y = Float64Array.from({ length: n }, () => random() * 2 - 0.3);
      const fast = projectBoxHalfspace(y, bounds, h, new Float64Array(n));
      const slow = dykstra(y, [clip, toHalfspace], 20000, () => false);
      expect(l2Distance(fast, slow)).toBeLessThan(1e-5);
      expect(mean(fast)).toBeLessThanOrEqual(0.3 + 1e-9);
    }
  });

  it('holds ≥ constraints with arbitrary weights, reporting violation in input units', () => {
    const weights = Float64Array.from({ length: n }, () => random() - 0.3);
    const set = buildFeasibleSet({ linear: [{ weights, sense: '>=', bound: 2 }] }, input);
    const x = new Float32Array(n);
    let dotted = 0;
    for (let i = 0; i < n; i++) dotted += weights[i]! * x[i]!;
    const norm = Math.hypot(...weights);
    expect(set.violation(x)).toBeCloseTo((2 - dotted) / norm, 6);
    set.project(x);
    dotted = 0;
    for (let i = 0; i < n; i++) dotted += weights[i]! * x[i]!;
    expect(dotted).toBeGreaterThanOrEqual(2 - 1e-6);
    expect(set.violation(x)).toBeLessThanOrEqual(1e-6);
  });

  it('combines with an L2 ball and a mask (Dykstra, then a pull to a feasible anchor)', () => {
    const reference = Float64Array.from({ length: n }, () => random());
    const fixed = Array.from({ length: n }, (_, i) => (i < 5 ? 1 : 0));
    const set = buildFeasibleSet(
      {
        l2: { reference, epsilon: 1 },
        mask: { fixed, reference },
        linear: [{ weights: 'mean', sense: '<=', bound: mean(reference) - 0.05 }],
      },
      input,
    );
    expect(set.violation(set.anchor)).toBeLessThanOrEqual(1e-7);
    for (let trial = 0; trial < 10; trial++) {
      const x = Float32Array.from({ length: n }, () => random() * 3 - 1);
      set.project(x);
      expect(set.violation(x)).toBeLessThanOrEqual(1e-6);
      expect(mean(x)).toBeLessThanOrEqual(mean(reference) - 0.05 + 1e-6);
      expect(l2Distance(x, reference)).toBeLessThanOrEqual(1 + 1e-6);
      for (let i = 0; i < 5; i++) expect(x[i]).toBeCloseTo(reference[i]!, 6);
    }
  });
});
