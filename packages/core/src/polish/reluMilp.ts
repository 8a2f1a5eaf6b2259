import type { DenseReluNetwork } from '../network/denseRelu.ts';
import type { LinearDomain } from './linearDomain.ts';
import { nodeSize, type PiecewiseLinearObjective } from './piecewiseLinearObjective.ts';
import type { LinearProgram } from './regionLp.ts';
import { solveLp } from './solveLp.ts';

export interface ExactMaximum {
  status: 'optimal' | 'infeasible' | 'time-limit' | 'failed';
  value: number;
  /** The maximising input (float64), when status is 'optimal'. */
  x: Float64Array;
  seconds: number;
}

/**
 * The global maximum of a piecewise-linear objective of a ReLU network over a linear domain, as a
 * MILP: one binary per ReLU whose sign is not fixed by interval bounds, with the standard big-M
 * encoding `a ≥ z, a ≥ 0, a ≤ z − l(1−δ), a ≤ uδ`. Exponential in the worst case: small nets only.
 */
export async function maximizeExactly(
  network: DenseReluNetwork,
  objective: PiecewiseLinearObjective,
  domain: LinearDomain,
  options: { timeLimitSeconds?: number; tightenBounds?: boolean } = {},
): Promise<ExactMaximum> {
  const tighten = options.tightenBounds ?? true;
  if (objective.margins.some((t) => t.weight < 0)) {
    throw new Error('maximizeExactly: negative-weight margins are not concave; not supported');
  }
  const started = performance.now();
  const n = network.inputSize;
  const colLower: number[] = Array.from(domain.lo);
  const colUpper: number[] = Array.from(domain.hi);
  const integers: number[] = [];
  const rows: Row[] = [];
  const addCol = (lower: number, upper: number, integer = false) => {
    colLower.push(lower);
    colUpper.push(upper);
    if (integer) integers.push(colLower.length - 1);
    return colLower.length - 1;
  };

  // Column of each element of each node, and interval bounds of each node.
  const nodeCols: number[][] = [];
  let cols = Array.from({ length: n }, (_, i) => i);
  let lower = Array.from(domain.lo);
  let upper = Array.from(domain.hi);
  for (const op of network.ops) {
    if (op.kind === 'dense') {
      const nextCols: number[] = [];
      const nextLower: number[] = [];
      const nextUpper: number[] = [];
      for (let o = 0; o < op.outSize; o++) {
        let l = op.bias[o]!;
        let u = op.bias[o]!;
        const rowCols: number[] = [];
        const rowVals: number[] = [];
        for (let i = 0; i < op.inSize; i++) {
          const w = op.weights[o * op.inSize + i]!;
          if (w === 0) continue;
          l += w * (w > 0 ? lower[i]! : upper[i]!);
          u += w * (w > 0 ? upper[i]! : lower[i]!);
          rowCols.push(cols[i]!);
          rowVals.push(-w);
        }
        const z = addCol(l, u);
        // z − W·prev = b
        rows.push({ cols: [z, ...rowCols], vals: [1, ...rowVals], lower: op.bias[o]!, upper: op.bias[o]! });
        nextCols.push(z);
        nextLower.push(l);
        nextUpper.push(u);
      }
      [cols, lower, upper] = [nextCols, nextLower, nextUpper];
    } else {
      if (tighten) await tightenBounds(cols, lower, upper, colLower, colUpper, rows);
      const nextCols: number[] = [];
      for (let j = 0; j < op.size; j++) {
        const z = cols[j]!;
        const l = lower[j]!;
        const u = upper[j]!;
        if (u <= 0) {
          nextCols.push(addCol(0, 0));
        } else if (l >= 0) {
          nextCols.push(z);
        } else {
          const a = addCol(0, u);
          const d = addCol(0, 1, true);
          rows.push({ cols: [a, z], vals: [1, -1], lower: 0, upper: Number.POSITIVE_INFINITY });
          rows.push({ cols: [a, z, d], vals: [1, -1, -l], lower: Number.NEGATIVE_INFINITY, upper: -l });
          rows.push({ cols: [a, d], vals: [1, -u], lower: Number.NEGATIVE_INFINITY, upper: 0 });
          nextCols.push(a);
        }
      }
      cols = nextCols;
      lower = lower.map((v) => Math.max(0, v));
      upper = upper.map((v) => Math.max(0, v));
    }
    nodeCols.push(cols);
  }
  const colOf = (node: number, index: number) => (node < 0 ? index : nodeCols[node]![index]!);

  const cost = new Map<number, number>();
  const addCost = (col: number, w: number) => cost.set(col, (cost.get(col) ?? 0) + w);
  for (const t of objective.affine) addCost(colOf(t.node, t.index), t.weight);
  const logitsNode = network.ops.length - 1;
  for (const t of objective.margins) {
    const tc = addCol(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    addCost(tc, t.weight);
    for (let j = 0; j < nodeSize(network, logitsNode); j++) {
      if (j === t.index) continue;
      rows.push({
        cols: [tc, colOf(logitsNode, t.index), colOf(logitsNode, j)],
        vals: [1, -1, 1],
        lower: Number.NEGATIVE_INFINITY,
        upper: 0,
      });
    }
  }
  for (const row of domain.rows) {
    const rc: number[] = [];
    const rv: number[] = [];
    row.coefficients.forEach((v, i) => {
      if (v !== 0) {
        rc.push(i);
        rv.push(v);
      }
    });
    rows.push({ cols: rc, vals: rv, lower: row.lower, upper: row.upper });
  }

  const lp = toProgram(colLower, colUpper, rows, cost);
  const solution = await solveLp(lp, {
    integers,
    mipRelGap: 1e-9,
    ...(options.timeLimitSeconds !== undefined ? { timeLimitSeconds: options.timeLimitSeconds } : {}),
  });
  return {
    status: solution.status === 'unbounded' ? 'failed' : solution.status,
    value: solution.objective,
    x: solution.x.slice(0, n),
    seconds: (performance.now() - started) / 1000,
  };
}

interface Row {
  cols: number[];
  vals: number[];
  lower: number;
  upper: number;
}

/**
 * Tightens the interval bounds of ReLU inputs whose sign is still open with two LPs each (min and max
 * over the LP relaxation of the layers before): a smaller big-M makes the MILP far easier to solve.
 */
async function tightenBounds(
  cols: number[],
  lower: number[],
  upper: number[],
  colLower: number[],
  colUpper: number[],
  rows: Row[],
): Promise<void> {
  for (let j = 0; j < cols.length; j++) {
    if (!(lower[j]! < 0 && upper[j]! > 0)) continue;
    for (const sense of [1, -1]) {
      const lp = toProgram(colLower, colUpper, rows, new Map([[cols[j]!, sense]]));
      const solution = await solveLp(lp);
      if (solution.status !== 'optimal') continue;
      // A small margin keeps the bound valid despite the LP's feasibility tolerance.
      if (sense === 1) upper[j] = Math.min(upper[j]!, solution.objective + 1e-6);
      else lower[j] = Math.max(lower[j]!, -solution.objective - 1e-6);
    }
    colLower[cols[j]!] = lower[j]!;
    colUpper[cols[j]!] = upper[j]!;
  }
}

function toProgram(
  colLower: number[],
  colUpper: number[],
  rows: Row[],
  cost: Map<number, number>,
): LinearProgram {
  const numCols = colLower.length;
  const colCost = new Float64Array(numCols);
  for (const [c, w] of cost) colCost[c] = w;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    // Merge duplicate columns (a unit whose ReLU is always active shares its column with z).
    const merged = new Map<number, number>();
    row.cols.forEach((c, k) => {
      merged.set(c, (merged.get(c) ?? 0) + row.vals[k]!);
    });
    for (const [c, v] of merged) {
      if (v === 0) continue;
      indices.push(c);
      values.push(v);
    }
    starts.push(indices.length);
  }
  return {
    numCols,
    numRows: rows.length,
    colCost,
    offset: 0,
    colLower: Float64Array.from(colLower),
    colUpper: Float64Array.from(colUpper),
    rowLower: Float64Array.from(rows, (r) => r.lower),
    rowUpper: Float64Array.from(rows, (r) => r.upper),
    starts: Int32Array.from(starts),
    indices: Int32Array.from(indices),
    values: Float64Array.from(values),
  };
}
