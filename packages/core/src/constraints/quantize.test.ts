import { describe, expect, it } from 'vitest';
import { seededRandom } from '../methods/random.ts';
import { buildFeasibleSet } from './feasibleSet.ts';
import { quantizeInput } from './quantize.ts';

const n = 30;
const input = { size: n, shape: [n] };
const random = seededRandom(4);
const onGrid = (v: number, levels: number, lo = 0, hi = 1) => {
  const k = ((v - lo) / (hi - lo)) * (levels - 1);
  return Math.abs(k - Math.round(k)) < 1e-4;
};

describe('quantize', () => {
  it('puts every input on one of N levels of the box', () => {
    const set = buildFeasibleSet({ box: { lo: -1, hi: 1 }, quantize: { levels: 5 } }, input);
    const x = Float32Array.from({ length: n }, () => random() * 2 - 1);
    const q = quantizeInput(x, set, 5, 'nearest');
    q.forEach((v, i) => {
      expect(onGrid(v, 5, -1, 1)).toBe(true);
      expect(Math.abs(v - x[i]!)).toBeLessThanOrEqual(0.25 + 1e-6);
    });
  });

  it('chooses grid values inside an L∞ ball', () => {
    const reference = Float64Array.from({ length: n }, () => Math.round(random() * 255) / 255);
    const set = buildFeasibleSet({ linf: { reference, epsilon: 8 / 255 }, quantize: { levels: 256 } }, input);
    const x = Float32Array.from(reference, (r) => r + (random() - 0.5) * (16 / 255));
    set.project(x);
    for (const rounding of ['nearest', 'down', 'up', 'toward-anchor'] as const) {
      const q = quantizeInput(x, set, 256, rounding);
      q.forEach((v) => {
        expect(onGrid(v, 256)).toBe(true);
      });
      expect(set.violation(q)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('rounding down keeps a mean ≤ c constraint that rounding to nearest may break', () => {
    const set = buildFeasibleSet(
      { linear: [{ weights: 'mean', sense: '<=', bound: 0.4 }], quantize: { levels: 3 } },
      input,
    );
    const x = Float32Array.from({ length: n }, () => random());
    set.project(x);
    const down = quantizeInput(x, set, 3, 'down');
    expect(set.violation(down)).toBeLessThanOrEqual(1e-6);
    down.forEach((v) => {
      expect(onGrid(v, 3)).toBe(true);
    });
  });
});
