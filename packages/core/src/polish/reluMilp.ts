import type { LinearDomain } from '../lp/linearDomain.ts';
import type { LinearProgram } from '../lp/linearProgram.ts';
import { solveLp } from '../lp/solveLp.ts';
import type { DenseReluNetwork } from '../network/denseReluChain.ts';
import { forwardLayerGraph } from '../network/layerGraph.ts';
import { largestOther } from '../objectives/marginTerm.ts';
import { nodeSize, type PiecewiseLinearObjective } from './piecewiseLinearObjective.ts';
import type { ActivationPattern } from './regionLp.ts';

export interface ReluMilp {
  lp: LinearProgram;
  integers: number[];
  /** Every column's value at input `x` (a feasible MIP start when `x` is in the fixed phases). */
  startAt(x: ArrayLike<number>): Float64Array;
  /** ReLUs encoded with a binary (neither fixed nor settled by their bounds). */
  binaries: number;
}

export interface ReluMilpOptions {
  /** Keep the phase of every ReLU for which `free(op, unit)` is false at `pattern`'s value. */
  fixed?: { pattern: ActivationPattern; free: (op: number, unit: number) => boolean };
  /** Tighten the big-M bounds with two LPs per open ReLU (worth it for exact solves of small nets). */
  tightenBounds?: boolean;
}

interface Row {
  cols: number[];
  vals: number[];
  lower: number;
  upper: number;
}

/** What a column holds, so a MIP start can be computed from an input. */
type ColumnSource =
  | { kind: 'input'; index: number }
  | { kind: 'node'; node: number; index: number }
  | { kind: 'phase'; node: number; index: number }
  | { kind: 'zero' }
  | { kind: 'margin'; index: number };

/**
 * A piecewise-linear objective of a ReLU network over a linear domain as a MILP: one column per
 * value, equality rows for dense layers, and per open ReLU the big-M encoding
 * `a ≥ z, a ≥ 0, a ≤ z − l(1−δ), a ≤ uδ` with interval bounds `[l, u]` of its input. ReLUs whose
 * sign the bounds settle, or whose phase `fixed` keeps, need no binary. Positive-weight margins get
 * an epigraph column `t ≤ logit_k − logit_j`.
 */
export async function buildReluMilp(
  network: DenseReluNetwork,
  objective: PiecewiseLinearObjective,
  domain: LinearDomain,
  options: ReluMilpOptions = {},
): Promise<ReluMilp> {
  if (objective.margins.some((t) => t.weight < 0)) {
    throw new Error('buildReluMilp: a negative-weight margin is not concave and has no MILP encoding here');
  }
  const n = network.inputSize;
  const colLower: number[] = Array.from(domain.lo);
  const colUpper: number[] = Array.from(domain.hi);
  const sources: ColumnSource[] = Array.from({ length: n }, (_, index) => ({ kind: 'input', index }));
  const integers: number[] = [];
  const rows: Row[] = [];
  const addCol = (lower: number, upper: number, source: ColumnSource, integer = false) => {
    colLower.push(lower);
    colUpper.push(upper);
    sources.push(source);
    if (integer) integers.push(colLower.length - 1);
    return colLower.length - 1;
  };

  const nodeCols: number[][] = [];
  let cols = Array.from({ length: n }, (_, i) => i);
  let lower = Array.from(domain.lo);
  let upper = Array.from(domain.hi);
  for (const [opIndex, op] of network.ops.entries()) {
    if (op.kind === 'affine') {
      const next = { cols: [] as number[], lower: [] as number[], upper: [] as number[] };
      for (let o = 0; o < op.outSize; o++) {
        let l = op.bias[o]!;
        let u = op.bias[o]!;
        const rowCols: number[] = [];
        const rowVals: number[] = [];
        for (let i = 0; i < op.inSize; i++) {
          const w = op.matrix.values[o * op.inSize + i]!;
          if (w === 0) continue;
          l += w * (w > 0 ? lower[i]! : upper[i]!);
          u += w * (w > 0 ? upper[i]! : lower[i]!);
          rowCols.push(cols[i]!);
          rowVals.push(-w);
        }
        const z = addCol(l, u, { kind: 'node', node: opIndex, index: o });
        // z − W·prev = b
        rows.push({ cols: [z, ...rowCols], vals: [1, ...rowVals], lower: op.bias[o]!, upper: op.bias[o]! });
        next.cols.push(z);
        next.lower.push(l);
        next.upper.push(u);
      }
      [cols, lower, upper] = [next.cols, next.lower, next.upper];
    } else {
      const fixed = options.fixed;
      if (fixed) {
        // A kept phase is a bound on the ReLU's input: z ≥ 0 (active) or z ≤ 0 (inactive).
        for (let j = 0; j < op.size; j++) {
          if (fixed.free(opIndex, j)) continue;
          if (fixed.pattern[opIndex]![j] === 1) lower[j] = Math.max(lower[j]!, 0);
          else upper[j] = Math.min(upper[j]!, 0);
          colLower[cols[j]!] = Math.max(colLower[cols[j]!]!, lower[j]!);
          colUpper[cols[j]!] = Math.min(colUpper[cols[j]!]!, upper[j]!);
        }
      }
      if (options.tightenBounds) await tightenBounds(cols, lower, upper, colLower, colUpper, rows, sources);
      const nextCols: number[] = [];
      for (let j = 0; j < op.size; j++) {
        const z = cols[j]!;
        const l = lower[j]!;
        const u = upper[j]!;
        if (u <= 0) {
          nextCols.push(addCol(0, 0, { kind: 'zero' }));
        } else if (l >= 0) {
          nextCols.push(z);
        } else {
          const a = addCol(0, u, { kind: 'node', node: opIndex, index: j });
          const d = addCol(0, 1, { kind: 'phase', node: opIndex, index: j }, true);
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
    const tc = addCol(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, { kind: 'margin', index: t.index });
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
    const rowCols: number[] = [];
    const rowVals: number[] = [];
    row.coefficients.forEach((v, i) => {
      if (v !== 0) {
        rowCols.push(i);
        rowVals.push(v);
      }
    });
    rows.push({ cols: rowCols, vals: rowVals, lower: row.lower, upper: row.upper });
  }

  return {
    lp: toProgram(colLower, colUpper, rows, cost),
    integers,
    binaries: integers.length,
    startAt: (x) => {
      const outputs = forwardLayerGraph(network, x);
      const node = (i: number) => (i < 0 ? x : outputs[i]!);
      return Float64Array.from(sources, (s) => {
        switch (s.kind) {
          case 'input':
            return x[s.index]!;
          case 'node':
            return node(s.node)[s.index]!;
          case 'phase':
            return node(s.node)[s.index]! > 0 ? 1 : 0;
          case 'zero':
            return 0;
          case 'margin': {
            const logits = node(logitsNode);
            return logits[s.index]! - largestOther(logits, s.index).value;
          }
        }
      });
    },
  };
}

export interface ExactMaximum {
  status: 'optimal' | 'infeasible' | 'time-limit' | 'failed';
  value: number;
  /** The maximising input (float64); the best one found when status is 'time-limit'. */
  x: Float64Array;
  seconds: number;
}

/**
 * The global maximum of a piecewise-linear objective of a ReLU network over a linear domain (MILP with
 * tightened bounds). Exponential in the worst case: meant for small nets, tests and benchmarks.
 */
export async function maximizeExactly(
  network: DenseReluNetwork,
  objective: PiecewiseLinearObjective,
  domain: LinearDomain,
  options: {
    timeLimitSeconds?: number;
    tightenBounds?: boolean;
    /** A feasible input to start from: a good one lets HiGHS prune from the first node. */
    start?: ArrayLike<number>;
  } = {},
): Promise<ExactMaximum> {
  const started = performance.now();
  const milp = await buildReluMilp(network, objective, domain, {
    tightenBounds: options.tightenBounds ?? true,
  });
  const solution = await solveLp(milp.lp, {
    integers: milp.integers,
    ...(options.start ? { start: milp.startAt(options.start) } : {}),
    mipRelGap: 1e-9,
    ...(options.timeLimitSeconds !== undefined ? { timeLimitSeconds: options.timeLimitSeconds } : {}),
  });
  return {
    status: solution.status === 'unbounded' ? 'failed' : solution.status,
    value: solution.objective,
    x: solution.x.slice(0, network.inputSize),
    seconds: (performance.now() - started) / 1000,
  };
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
  sources: ColumnSource[],
): Promise<void> {
  for (let j = 0; j < cols.length; j++) {
    if (!(lower[j]! < 0 && upper[j]! > 0) || sources[cols[j]!]!.kind === 'input') continue;
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
