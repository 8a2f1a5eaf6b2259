import type { NodeBounds } from '../network/intervalBounds.ts';
import { forwardLayerGraph, type LayerGraph, type MaxPoolOp } from '../network/layerGraph.ts';
import type { LinearDomain } from './linearDomain.ts';
import type { LinearProgram } from './linearProgram.ts';

/** `weight` times output `index` of op `node` (-1: the input itself). */
export interface AffineTerm {
  weight: number;
  node: number;
  index: number;
}

/**
 * A concave objective of a network: `base · logits + Σ terms + Σ_m weight_m · min_{d ∈ options_m} d · logits`
 * (every weight_m > 0; logits are the last op's output). `terms` weigh other nodes' units (a hidden
 * layer's unit objective). The bounds bound each `min` through a mixture `Σ θ d` over its options.
 */
export interface ConcaveCase {
  base: Float64Array;
  terms?: AffineTerm[];
  mins: { weight: number; options: Float64Array[] }[];
}

/**
 * A concave objective of a ReLU/LeakyReLU network over a region as a MILP (or, without binaries,
 * its LP relaxation). Columns: the inputs, every affine op's outputs (bounded by the node bounds, with
 * equality rows), every open unit's activation. An open unit gets the big-M encoding with the node
 * bounds `[l, u]` (tight bounds make small M): `a ≥ z, a ≥ 0, a ≤ z − l(1−δ), a ≤ uδ`. Two kinds of
 * units need no binary: those whose phase is fixed (by branching or by their bounds), and units of the
 * last non-linear layer that every objective row weighs non-positively ("objective-aware"): maximising
 * pushes their activation down onto the convex `max(0, z)`, so `a ≥ z, a ≥ 0` is exact for them.
 * Each min of the objective becomes an epigraph column `t ≤ d·logits` per option d.
 */
export interface NetworkMilp {
  lp: LinearProgram;
  integers: number[];
  /** Every column's value at input `x` (a MIP start; valid when x respects the fixed phases). */
  startAt(x: ArrayLike<number>, outputs?: Float64Array[]): Float64Array;
  binaries: number;
  /** Per node (0: the input, p + 1: op p's output), each unit's column, or -1 where it is the constant 0. */
  nodeColumns: number[][];
}

export interface NetworkMilpOptions {
  /** Per op: +1/−1 for units whose phase is fixed, 0 or absent for free units. */
  splitSign?: (Int8Array | undefined)[];
  /** Leave out the binaries (the LP relaxation; exact when no unit needs one). */
  relaxIntegrality?: boolean;
  /** Objective-aware relaxation of the last layer (default true; false gives the plain big-M). */
  objectiveAware?: boolean;
  /** Encode only the first `ops` ops, with no objective (the LPs that tighten the next op's bounds). */
  ops?: number;
}

/** Units that need no binary because the objective weighs them non-positively (see NetworkMilp). */
export function objectiveAwareUnits(
  graph: LayerGraph,
  objective: ConcaveCase,
): { op: number; free: Uint8Array } | undefined {
  let last = -1;
  graph.ops.forEach((op, p) => {
    if (op.kind !== 'affine') last = p;
  });
  const op = graph.ops[last];
  if (!op || (op.kind !== 'relu' && op.kind !== 'leakyRelu')) return undefined;
  const rows = [objective.base, ...objective.mins.flatMap((m) => m.options)];
  const free = new Uint8Array(op.size).fill(1);
  rows.forEach((row, r) => {
    let v: Float64Array = Float64Array.from(row);
    for (let p = graph.ops.length - 1; ; p--) {
      // Unit terms are part of the linear row (row 0), on the node they weigh.
      if (r === 0) for (const t of objective.terms ?? []) if (t.node === p) v[t.index]! += t.weight;
      if (p === last) break;
      v = pullBack(graph.ops[p]!, v);
    }
    for (let j = 0; j < op.size; j++) if (v[j]! > 0) free[j] = 0;
  });
  return { op: last, free };
}

function pullBack(op: LayerGraph['ops'][number], v: Float64Array): Float64Array {
  if (op.kind !== 'affine') throw new Error('pullBack: only affine ops follow the last non-linear op');
  const out = new Float64Array(op.inSize);
  const W = op.matrix;
  for (let o = 0; o < op.outSize; o++) {
    const c = v[o]!;
    if (c === 0) continue;
    if (W.kind === 'dense') for (let i = 0; i < op.inSize; i++) out[i]! += c * W.values[o * op.inSize + i]!;
    else for (let k = W.starts[o]!; k < W.starts[o + 1]!; k++) out[W.cols[k]!]! += c * W.values[k]!;
  }
  return out;
}

type Source =
  | { kind: 'input'; index: number }
  | { kind: 'node'; node: number; index: number }
  | { kind: 'phase'; node: number; index: number }
  | { kind: 'min'; min: number }
  | { kind: 'pool'; node: number; index: number; input: number };

export function buildNetworkMilp(
  graph: LayerGraph,
  bounds: NodeBounds,
  objective: ConcaveCase,
  region: LinearDomain,
  options: NetworkMilpOptions = {},
): NetworkMilp {
  const n = graph.inputSize;
  const colLower: number[] = Array.from(region.lo);
  const colUpper: number[] = Array.from(region.hi);
  const sources: Source[] = Array.from({ length: n }, (_, index) => ({ kind: 'input', index }));
  const integers: number[] = [];
  const rowStarts: number[] = [0];
  const rowCols: number[] = [];
  const rowVals: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const addCol = (lower: number, upper: number, source: Source) => {
    colLower.push(lower);
    colUpper.push(upper);
    sources.push(source);
    return colLower.length - 1;
  };
  const addRow = (cols: number[], vals: number[], lower: number, upper: number) => {
    for (let k = 0; k < cols.length; k++) {
      if (vals[k] === 0) continue;
      rowCols.push(cols[k]!);
      rowVals.push(vals[k]!);
    }
    rowStarts.push(rowCols.length);
    rowLower.push(lower);
    rowUpper.push(upper);
  };
  const encoded = options.ops ?? graph.ops.length;
  const withObjective = encoded === graph.ops.length;
  const aware =
    options.objectiveAware === false || !withObjective ? undefined : objectiveAwareUnits(graph, objective);

  // cols[i]: the column holding unit i of the current node, or -1 when it is the constant 0.
  let cols = Array.from({ length: n }, (_, i) => i);
  const nodeColumns = [cols];
  graph.ops.forEach((op, p) => {
    if (p >= encoded) return;
    const lo = bounds.lo[p + 1]!;
    const hi = bounds.hi[p + 1]!;
    if (op.kind === 'affine') {
      const next: number[] = [];
      const W = op.matrix;
      for (let o = 0; o < op.outSize; o++) {
        const z = addCol(lo[o]!, hi[o]!, { kind: 'node', node: p, index: o });
        const rc = [z];
        const rv = [1];
        const term = (i: number, w: number) => {
          if (cols[i]! >= 0 && w !== 0) {
            rc.push(cols[i]!);
            rv.push(-w);
          }
        };
        if (W.kind === 'dense') for (let i = 0; i < op.inSize; i++) term(i, W.values[o * op.inSize + i]!);
        else for (let k = W.starts[o]!; k < W.starts[o + 1]!; k++) term(W.cols[k]!, W.values[k]!);
        const merged = mergeDuplicates(rc, rv);
        addRow(merged.cols, merged.vals, op.bias[o]!, op.bias[o]!);
        next.push(z);
      }
      cols = next;
      nodeColumns.push(cols);
      return;
    }
    if (op.kind === 'maxPool') {
      cols = encodeMaxPool(op, cols, bounds.lo[p]!, bounds.hi[p]!, p, {
        addCol,
        addRow,
        binary: (d) => {
          if (!options.relaxIntegrality) integers.push(d);
        },
      });
      nodeColumns.push(cols);
      return;
    }
    const a = op.kind === 'relu' ? 0 : op.alpha;
    const l = bounds.lo[p]!;
    const u = bounds.hi[p]!;
    const sign = options.splitSign?.[p];
    const next: number[] = [];
    for (let j = 0; j < op.size; j++) {
      const z = cols[j]!;
      const active = l[j]! >= 0 || sign?.[j] === 1;
      const inactive = u[j]! <= 0 || sign?.[j] === -1;
      if (z < 0) {
        next.push(-1);
        continue;
      }
      if (active) {
        colLower[z] = Math.max(colLower[z]!, 0);
        next.push(z);
        continue;
      }
      if (inactive) {
        colUpper[z] = Math.min(colUpper[z]!, 0);
        if (a === 0) next.push(-1);
        else {
          const y = addCol(a * l[j]!, 0, { kind: 'node', node: p, index: j });
          addRow([y, z], [1, -a], 0, 0);
          next.push(y);
        }
        continue;
      }
      const y = addCol(a * l[j]!, u[j]!, { kind: 'node', node: p, index: j });
      addRow([y, z], [1, -1], 0, Number.POSITIVE_INFINITY);
      if (a !== 0) addRow([y, z], [1, -a], 0, Number.POSITIVE_INFINITY);
      if (!(aware?.op === p && aware.free[j])) {
        const d = addCol(0, 1, { kind: 'phase', node: p, index: j });
        if (!options.relaxIntegrality) integers.push(d);
        const span = (1 - a) * l[j]!;
        // y ≤ z − (1−a)·l·(1−δ)   and   y ≤ a·z + (1−a)·u·δ
        addRow([y, z, d], [1, -1, -span], Number.NEGATIVE_INFINITY, -span);
        addRow([y, z, d], [1, -a, -(1 - a) * u[j]!], Number.NEGATIVE_INFINITY, 0);
      }
      next.push(y);
    }
    cols = next;
    nodeColumns.push(cols);
  });

  const cost = new Map<number, number>();
  const addCost = (col: number, w: number) => {
    if (col >= 0) cost.set(col, (cost.get(col) ?? 0) + w);
  };
  const objectiveMins = withObjective ? objective.mins : [];
  if (withObjective) {
    objective.base.forEach((w, i) => {
      if (w !== 0) addCost(cols[i]!, w);
    });
    for (const t of objective.terms ?? []) addCost(nodeColumns[t.node + 1]![t.index]!, t.weight);
  }
  objectiveMins.forEach((m, k) => {
    const t = addCol(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, { kind: 'min', min: k });
    addCost(t, m.weight);
    for (const d of m.options) {
      const rc = [t];
      const rv = [1];
      d.forEach((w, i) => {
        if (w !== 0 && cols[i]! >= 0) {
          rc.push(cols[i]!);
          rv.push(-w);
        }
      });
      addRow(rc, rv, Number.NEGATIVE_INFINITY, 0);
    }
  });
  for (const row of region.rows) {
    const rc: number[] = [];
    const rv: number[] = [];
    row.coefficients.forEach((v, i) => {
      if (v !== 0) {
        rc.push(i);
        rv.push(v);
      }
    });
    addRow(rc, rv, row.lower, row.upper);
  }

  const numCols = colLower.length;
  const colCost = new Float64Array(numCols);
  for (const [c, w] of cost) colCost[c] = w;
  const lp: LinearProgram = {
    numCols,
    numRows: rowLower.length,
    colCost,
    offset: 0,
    colLower: Float64Array.from(colLower),
    colUpper: Float64Array.from(colUpper),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    starts: Int32Array.from(rowStarts),
    indices: Int32Array.from(rowCols),
    values: Float64Array.from(rowVals),
  };
  const logitsNode = graph.ops.length - 1;
  return {
    lp,
    integers,
    binaries: integers.length,
    nodeColumns,
    startAt: (x, given) => {
      const outputs = given ?? forwardLayerGraph(graph, x);
      return Float64Array.from(sources, (s) => {
        switch (s.kind) {
          case 'input':
            return x[s.index]!;
          case 'node':
            return outputs[s.node]![s.index]!;
          case 'phase':
            return (s.node === 0 ? x : outputs[s.node - 1]!)[s.index]! > 0 ? 1 : 0;
          case 'pool':
            return poolChoice(
              graph.ops[s.node] as MaxPoolOp,
              s.node === 0 ? x : outputs[s.node - 1]!,
              s.index,
            ) === s.input
              ? 1
              : 0;
          case 'min': {
            const logits = outputs[logitsNode]!;
            return Math.min(...objective.mins[s.min]!.options.map((d) => dotProduct(d, logits)));
          }
        }
      });
    },
  };
}

function mergeDuplicates(cols: number[], vals: number[]): { cols: number[]; vals: number[] } {
  const merged = new Map<number, number>();
  cols.forEach((c, k) => {
    merged.set(c, (merged.get(c) ?? 0) + vals[k]!);
  });
  return { cols: [...merged.keys()], vals: [...merged.values()] };
}

function dotProduct(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

interface RowSink {
  addCol(lower: number, upper: number, source: Source): number;
  addRow(cols: number[], vals: number[], lower: number, upper: number): void;
  binary(col: number): void;
}

/**
 * `y = max_k x_k` of each pool window over the node bounds `[l, u]`. Inputs whose upper bound is below
 * the largest lower bound L can never be the max and are left out; one input left is `y` itself.
 * Otherwise `y ≥ x_k` for each candidate, and one binary δ_k per candidate (Σ δ = 1) picks the max:
 * `y ≤ x_k + (U − l_k)(1 − δ_k)` with U the largest upper bound. A column of −1 is the constant 0.
 */
function encodeMaxPool(
  op: MaxPoolOp,
  cols: number[],
  lo: Float64Array,
  hi: Float64Array,
  node: number,
  sink: RowSink,
): number[] {
  const next: number[] = [];
  for (let o = 0; o < op.outSize; o++) {
    let L = Number.NEGATIVE_INFINITY;
    let U = Number.NEGATIVE_INFINITY;
    for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++) {
      L = Math.max(L, lo[op.inputs[k]!]!);
      U = Math.max(U, hi[op.inputs[k]!]!);
    }
    const candidates: number[] = [];
    for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++)
      if (hi[op.inputs[k]!]! >= L) candidates.push(op.inputs[k]!);
    if (candidates.length === 1) {
      next.push(cols[candidates[0]!]!);
      continue;
    }
    const y = sink.addCol(L, U, { kind: 'node', node, index: o });
    const choices: number[] = [];
    for (const i of candidates) {
      const x = cols[i]!;
      const d = sink.addCol(0, 1, { kind: 'pool', node, index: o, input: i });
      sink.binary(d);
      choices.push(d);
      const big = U - lo[i]!;
      // y ≥ x_i;  y − x_i + big·δ_i ≤ big.
      if (x >= 0) {
        sink.addRow([y, x], [1, -1], 0, Number.POSITIVE_INFINITY);
        sink.addRow([y, x, d], [1, -1, big], Number.NEGATIVE_INFINITY, big);
      } else {
        sink.addRow([y], [1], 0, Number.POSITIVE_INFINITY);
        sink.addRow([y, d], [1, big], Number.NEGATIVE_INFINITY, big);
      }
    }
    sink.addRow(
      choices,
      choices.map(() => 1),
      1,
      1,
    );
    next.push(y);
  }
  return next;
}

/** The input index that is the max of window `o` at these values (the first one on ties). */
function poolChoice(op: MaxPoolOp, values: ArrayLike<number>, o: number): number {
  let best = op.inputs[op.starts[o]!]!;
  for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++)
    if (values[op.inputs[k]!]! > values[best]!) best = op.inputs[k]!;
  return best;
}
