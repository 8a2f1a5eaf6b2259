import { describe, expect, it } from 'vitest';
import { seededRandom } from '../methods/random.ts';
import { dykstra } from './dykstra.ts';
import { buildFeasibleSet } from './feasibleSet.ts';
import { l2Distance, projectBoxBall } from './l2Ball.ts';

const n = 50;
const random = seededRandom(2);
const center = Float64Array.from({ length: n }, () => random());
const bounds = { lo: new Float64Array(n), hi: new Float64Array(n).fill(1) };
const ball = { center, radius: 0.8 };

/** Reference answer: Dykstra between the box and the bare ball, run to convergence. */
function slowProjection(y: Float64Array): Float64Array {
  const clip = (v: ArrayLike<number>, out: Float64Array) => {
    for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, v[i]!));
    return out;
  };
  const toBall = (v: ArrayLike<number>, out: Float64Array) => {
    const d = l2Distance(v, center);
    const s = d > ball.radius ? ball.radius / d : 1;
    for (let i = 0; i < n; i++) out[i] = center[i]! + s * (v[i]! - center[i]!);
    return out;
  };
  return dykstra(y, [clip, toBall], 20000, () => false);
}

describe('box ∩ L2 ball', () => {
  it('projects exactly (matches Dykstra run to convergence)', () => {
    for (let trial = 0; trial < 5; trial++) {
      const y = Float64Array.from({ length: n }, () => random() * 3 - 1);
      const fast = projectBoxBall(y, bounds, ball, new Float64Array(n));
      const slow = slowProjection(y);
      expect(l2Distance(fast, slow)).toBeLessThan(1e-5);
      expect(l2Distance(fast, center)).toBeLessThanOrEqual(ball.radius + 1e-9);
    }
  });

  it('leaves feasible points alone and keeps float32 results inside to 1e-6', () => {
    const set = buildFeasibleSet({ l2: { reference: center, epsilon: 0.8 } }, { size: n, shape: [n] });
    const inside = Float32Array.from(center, (c) => c + (c < 0.5 ? 0.01 : -0.01));
    const copy = Float32Array.from(inside);
    set.project(inside);
    expect([...inside]).toEqual([...copy]);
    for (let trial = 0; trial < 20; trial++) {
      const x = Float32Array.from({ length: n }, () => random() * 4 - 2);
      set.project(x);
      expect(set.violation(x)).toBeLessThanOrEqual(1e-6);
      expect(l2Distance(x, center)).toBeLessThanOrEqual(0.8 + 1e-6);
    }
  });
});
