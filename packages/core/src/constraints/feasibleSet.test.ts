import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError } from '../errors.ts';
import { seededRandom } from '../methods/random.ts';
import type { ConstraintSpec } from '../spec/types.ts';
import { EmptyFeasibleSetError } from './emptyFeasibleSet.ts';
import { buildFeasibleSet } from './feasibleSet.ts';

const input = { size: 6, shape: [6] };
const random = seededRandom(1);
const point = (scale = 3) => Float32Array.from({ length: input.size }, () => (random() - 0.5) * scale);
const reference = [0.1, 0.5, 0.9, 0.2, 0.7, 0.4];

describe('box, L∞ ball and mask: one exact box', () => {
  it('defaults to [0, 1] and clips to it', () => {
    const set = buildFeasibleSet(undefined, input);
    expect(set.isBox).toBe(true);
    const x = Float32Array.from([-1, 0.5, 2, 0, 1, 0.25]);
    expect(set.violation(x)).toBe(1);
    set.project(x);
    expect([...x]).toEqual([0, 0.5, 1, 0, 1, 0.25]);
    expect(set.violation(x)).toBe(0);
  });

  it('takes per-input bounds', () => {
    const set = buildFeasibleSet({ box: { lo: [0, 0, 0, -1, -1, -1], hi: 0.5 } }, input);
    const x = Float32Array.from([1, 1, 1, -2, -2, -2]);
    set.project(x);
    expect([...x]).toEqual([0.5, 0.5, 0.5, -1, -1, -1]);
  });

  it('intersects the L∞ ball with the box exactly', () => {
    const set = buildFeasibleSet({ linf: { reference, epsilon: 0.15 } }, input);
    for (let trial = 0; trial < 20; trial++) {
      const y = point();
      const x = Float32Array.from(y);
      set.project(x);
      x.forEach((v, i) => {
        const lo = Math.max(0, reference[i]! - 0.15);
        const hi = Math.min(1, reference[i]! + 0.15);
        expect(v).toBeCloseTo(Math.min(hi, Math.max(lo, y[i]!)), 6);
        expect(Math.abs(v - reference[i]!)).toBeLessThanOrEqual(0.15 + 1e-7);
      });
      expect(set.violation(x)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('holds masked inputs at the reference', () => {
    const set = buildFeasibleSet({ mask: { fixed: [1, 0, 0, 1, 0, 0], reference } }, input);
    const x = point();
    set.project(x);
    expect(x[0]).toBeCloseTo(0.1, 7);
    expect(x[3]).toBeCloseTo(0.2, 7);
    expect(set.violation(x)).toBeLessThanOrEqual(1e-6);
  });
});

describe('validation', () => {
  const cases: [ConstraintSpec, RegExp][] = [
    [{ box: { lo: 1, hi: 0 } }, /constraints\.box: received "lo 1 > hi 0"; expected lo ≤ hi/],
    [
      { box: { lo: [0, 0], hi: 1 } },
      /constraints\.box\.lo: received an array of length 2; expected 6 numbers/,
    ],
    [
      { linf: { reference, epsilon: -0.1 } },
      /constraints\.linf\.epsilon: received -0\.1; expected a finite number ≥ 0/,
    ],
    [
      { l2: { reference: [1, 2, 3], epsilon: 1 } },
      /constraints\.l2\.reference: received an array of length 3; expected 6 numbers/,
    ],
    [{ linear: [{ weights: 'mean', sense: '<' as '<=', bound: 0.5 }] }, /constraints\.linear\[0\]\.sense/],
    [
      { linear: [{ weights: [0, 0, 0, 0, 0, 0], sense: '<=', bound: 0.5 }] },
      /constraints\.linear\[0\]\.weights: received "all zeros"/,
    ],
    [{ quantize: { levels: 1 } }, /constraints\.quantize\.levels: received 1; expected an integer in \[2,/],
  ];
  it.each(cases)('rejects %j', (spec, message) => {
    expect(() => buildFeasibleSet(spec, input)).toThrow(InvalidArgumentError);
    expect(() => buildFeasibleSet(spec, input)).toThrow(message);
  });

  it('rejects NaN and Infinity in a reference, naming it', () => {
    const bad = [0.1, Number.NaN, 0.3, Number.POSITIVE_INFINITY, 0.5, 0.6];
    expect(() => buildFeasibleSet({ linf: { reference: bad, epsilon: 0.1 } }, input)).toThrow(NonFiniteError);
    expect(() => buildFeasibleSet({ linf: { reference: bad, epsilon: 0.1 } }, input)).toThrow(
      /constraints\.linf\.reference: 2 value\(s\) are NaN or Infinity/,
    );
    expect(() => buildFeasibleSet({ l2: { reference: bad, epsilon: 0.1 } }, input)).toThrow(
      /constraints\.l2\.reference/,
    );
  });

  it('reports an empty feasible set instead of optimising', () => {
    const empty: ConstraintSpec[] = [
      { linf: { reference: [2, 2, 2, 2, 2, 2], epsilon: 0.5 } },
      { mask: { fixed: [1, 0, 0, 0, 0, 0], reference: [1.5, 0, 0, 0, 0, 0] } },
      { l2: { reference: [3, 3, 3, 3, 3, 3], epsilon: 1 } },
      { linear: [{ weights: 'mean', sense: '>=', bound: 1.5 }] },
      {
        linear: [
          { weights: [1, 1, 0, 0, 0, 0], sense: '>=', bound: 1.5 },
          { weights: [1, 1, 0, 0, 0, 0], sense: '<=', bound: 1 },
        ],
      },
    ];
    for (const spec of empty) expect(() => buildFeasibleSet(spec, input)).toThrow(EmptyFeasibleSetError);
  });
});
