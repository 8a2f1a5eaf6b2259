import { describe, expect, it } from 'vitest';
import type { LinearProgram } from './linearProgram.ts';
import { solveLp } from './solveLp.ts';

/** A multi-dimensional 0/1 knapsack: small to write down, far too hard to close in 50 ms. */
function knapsack(items: number, constraints: number, seed: number): LinearProgram {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const starts = new Int32Array(constraints + 1);
  const indices = new Int32Array(constraints * items);
  const values = new Float64Array(constraints * items);
  for (let r = 0; r < constraints; r++) {
    starts[r + 1] = (r + 1) * items;
    for (let i = 0; i < items; i++) {
      indices[r * items + i] = i;
      values[r * items + i] = 1 + Math.floor(random() * 100);
    }
  }
  return {
    numCols: items,
    numRows: constraints,
    colCost: Float64Array.from({ length: items }, () => 1 + Math.floor(random() * 100)),
    offset: 0,
    colLower: new Float64Array(items),
    colUpper: new Float64Array(items).fill(1),
    rowLower: new Float64Array(constraints).fill(Number.NEGATIVE_INFINITY),
    rowUpper: new Float64Array(constraints).fill(25 * items),
    starts,
    indices,
    values,
  };
}

describe('solveLp', () => {
  it('solves an LP to optimality, with duals', async () => {
    // max x + 2y  s.t.  x + y ≤ 1.5, 0 ≤ x, y ≤ 1  →  x = 0.5, y = 1, objective 2.5, row dual 1
    const lp: LinearProgram = {
      numCols: 2,
      numRows: 1,
      colCost: Float64Array.of(1, 2),
      offset: 0,
      colLower: Float64Array.of(0, 0),
      colUpper: Float64Array.of(1, 1),
      rowLower: Float64Array.of(Number.NEGATIVE_INFINITY),
      rowUpper: Float64Array.of(1.5),
      starts: Int32Array.of(0, 2),
      indices: Int32Array.of(0, 1),
      values: Float64Array.of(1, 1),
    };
    const solution = await solveLp(lp);
    expect(solution.status).toBe('optimal');
    expect(solution.objective).toBeCloseTo(2.5, 9);
    expect(solution.x[0]).toBeCloseTo(0.5, 9);
    expect(solution.x[1]).toBeCloseTo(1, 9);
    expect(Math.abs(solution.rowDual[0]!)).toBeCloseTo(1, 9);
  });

  it('stops a MILP at its time limit, and the next solve still works', async () => {
    const hard = knapsack(150, 30, 7);
    const integers = Array.from({ length: 150 }, (_, i) => i);
    const stopped = await solveLp(hard, { integers, timeLimitSeconds: 0.05 });
    expect(stopped.status).toBe('time-limit');
    const relaxed = await solveLp(hard);
    expect(relaxed.status).toBe('optimal');
    expect(relaxed.objective).toBeGreaterThan(0);
  });

  it('with grace, a MILP stops itself at its limit and reports its incumbent (a feasible 0/1 point)', async () => {
    const hard = knapsack(150, 30, 7);
    const integers = Array.from({ length: 150 }, (_, i) => i);
    // All zeros is feasible: HiGHS has an incumbent from the start, whatever the machine's speed.
    const stopped = await solveLp(hard, {
      integers,
      start: new Float64Array(150),
      timeLimitSeconds: 0.05,
      graceSeconds: 30,
    });
    expect(stopped.status).toBe('time-limit');
    expect(stopped.feasible).toBe(true);
    // Checked here, not trusted: every item 0 or 1, every knapsack row within its capacity.
    expect(stopped.x.every((v) => Math.abs(v) < 1e-9 || Math.abs(v - 1) < 1e-9)).toBe(true);
    for (let r = 0; r < hard.numRows; r++) {
      let load = 0;
      for (let k = hard.starts[r]!; k < hard.starts[r + 1]!; k++)
        load += hard.values[k]! * stopped.x[hard.indices[k]!]!;
      expect(load).toBeLessThanOrEqual(hard.rowUpper[r]! + 1e-6);
    }
    let value = 0;
    stopped.x.forEach((v, i) => {
      value += hard.colCost[i]! * v;
    });
    expect(value).toBeCloseTo(stopped.objective, 6);
  });
});

describe('solveLp in process', () => {
  it('reaches the same optimum as in the worker, with the optimum as its bound', async () => {
    const hard = knapsack(12, 3, 3);
    const integers = Array.from({ length: 12 }, (_, i) => i);
    const inWorker = await solveLp(hard, { integers, mipRelGap: 0 });
    const here = await solveLp(hard, { integers, mipRelGap: 0, inProcess: {} });
    // Checked against every 0/1 point: the small knapsack's optimum by enumeration.
    let best = Number.NEGATIVE_INFINITY;
    for (let mask = 0; mask < 1 << 12; mask++) {
      const x = Float64Array.from({ length: 12 }, (_, i) => (mask >> i) & 1);
      let fits = true;
      for (let r = 0; r < hard.numRows && fits; r++) {
        let load = 0;
        for (let k = hard.starts[r]!; k < hard.starts[r + 1]!; k++)
          load += hard.values[k]! * x[hard.indices[k]!]!;
        fits = load <= hard.rowUpper[r]!;
      }
      if (fits)
        best = Math.max(
          best,
          x.reduce((sum, v, i) => sum + hard.colCost[i]! * v, 0),
        );
    }
    for (const solution of [inWorker, here]) {
      expect(solution.status).toBe('optimal');
      expect(solution.objective).toBeCloseTo(best, 6);
      expect(solution.bound).toBeCloseTo(best, 6);
    }
  });

  it("stops a MILP at the caller's flag, reporting the bound it had proven", async () => {
    const hard = knapsack(150, 30, 7);
    const integers = Array.from({ length: 150 }, (_, i) => i);
    const bounds: number[] = [];
    const stopped = await solveLp(hard, {
      integers,
      start: new Float64Array(150),
      inProcess: { onProgress: (p) => bounds.push(p.bound), shouldStop: () => bounds.length > 0 },
    });
    expect(stopped.status).toBe('interrupted');
    expect(stopped.feasible).toBe(true);
    // A bound on the maximum: at least the incumbent's value, and no looser than the first one reported.
    expect(stopped.bound).toBeGreaterThanOrEqual(stopped.objective - 1e-6);
    expect(stopped.bound).toBeLessThanOrEqual(bounds[0]!);
  });
});
