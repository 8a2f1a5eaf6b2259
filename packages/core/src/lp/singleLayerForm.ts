import { type AffineOp, type LayerGraph, opSize } from '../network/layerGraph.ts';
import type { LinearDomain } from './linearDomain.ts';
import { emptyRows, type LinearProgram, packRows, pushUnitRow } from './linearProgram.ts';
import type { AffineTerm } from './networkMilp.ts';

/**
 * The objective of a network with one ReLU layer as `constant + linear·x + Σ_j c_j relu(A_j·x + b_j)`:
 * a convex part (c_j > 0) minus a convex part (c_j < 0). The polish searches it (one-layer LPs); the
 * certifier bounds it (unit subsets).
 */
export interface SingleLayerForm {
  inputSize: number;
  units: number;
  /** Pre-activations `A x + b` of the ReLU layer (`A` row-major `[units, inputSize]`). */
  A: Float64Array;
  b: Float64Array;
  /** Objective weight of each ReLU output. */
  c: Float64Array;
  linear: Float64Array;
  constant: number;
}

/**
 * Rewrites an affine objective (terms on the graph's nodes, no margins) of a network with exactly one
 * ReLU op, affine ops before it and on the way from it to each term; undefined for anything else (deeper
 * networks, margins, other activations), which keep the activation-region search.
 */
export function singleLayerForm(
  graph: LayerGraph,
  objective: { affine: readonly AffineTerm[]; margins: readonly unknown[] },
): SingleLayerForm | undefined {
  const reluAt = graph.ops.findIndex((op) => op.kind === 'relu');
  if (reluAt < 0 || objective.margins.length > 0) return undefined;
  if (graph.ops.some((op, i) => op.kind === 'relu' && i !== reluAt)) return undefined;
  const n = graph.inputSize;
  // Affine maps `M x + m` of every op before the ReLU (M null: the input itself).
  const maps = new Map<number, AffineMap>();
  let map: AffineMap = { M: null, m: new Float64Array(n) };
  maps.set(-1, map);
  for (let i = 0; i < reluAt; i++) {
    const op = graph.ops[i]!;
    if (op.kind !== 'affine') return undefined;
    map = composeAffine(denseValues(op), op.bias, op.outSize, op.inSize, map, n);
    maps.set(i, map);
  }
  const units = map.m.length;
  const c = new Float64Array(units);
  const linear = new Float64Array(n);
  let constant = 0;
  const dense = new Map<number, Float64Array>();
  for (const term of objective.affine) {
    if (term.node < reluAt) {
      const { M, m } = maps.get(term.node)!;
      if (M) for (let i = 0; i < n; i++) linear[i]! += term.weight * M[term.index * n + i]!;
      else linear[term.index]! += term.weight;
      constant += term.weight * m[term.index]!;
      continue;
    }
    // Pull the term back through the affine ops after the ReLU onto the ReLU's outputs.
    let g = new Float64Array(term.node === reluAt ? units : opSize(graph.ops[term.node]!));
    g[term.index] = term.weight;
    for (let i = term.node; i > reluAt; i--) {
      const op = graph.ops[i]!;
      if (op.kind !== 'affine') return undefined;
      if (!dense.has(i)) dense.set(i, denseValues(op));
      const W = dense.get(i)!;
      const back = new Float64Array(op.inSize);
      for (let o = 0; o < op.outSize; o++) {
        const w = g[o]!;
        if (w === 0) continue;
        constant += w * op.bias[o]!;
        for (let j = 0; j < op.inSize; j++) back[j]! += w * W[o * op.inSize + j]!;
      }
      g = back;
    }
    for (let j = 0; j < units; j++) c[j]! += g[j]!;
  }
  return { inputSize: n, units, A: map.M ?? identity(n), b: map.m, c, linear, constant };
}

/** An affine op's matrix as dense row-major `[outSize, inSize]` values (a CSR one expanded). */
function denseValues(op: AffineOp): Float64Array {
  if (op.matrix.kind === 'dense') return op.matrix.values;
  const values = new Float64Array(op.outSize * op.inSize);
  const { starts, cols, values: entries } = op.matrix;
  for (let o = 0; o < op.outSize; o++) {
    for (let k = starts[o]!; k < starts[o + 1]!; k++) values[o * op.inSize + cols[k]!] = entries[k]!;
  }
  return values;
}

/** Pre-activations `A x + b` at `x`. */
export function preActivations(form: SingleLayerForm, x: ArrayLike<number>): Float64Array {
  const { A, b, inputSize: n } = form;
  return Float64Array.from(b, (bias, j) => {
    let sum = bias;
    for (let i = 0; i < n; i++) sum += A[j * n + i]! * x[i]!;
    return sum;
  });
}

/** The objective at `x`: `constant + linear·x + Σ_j c_j relu(A_j·x + b_j)`. */
export function singleLayerValue(form: SingleLayerForm, x: ArrayLike<number>): number {
  let value = form.constant;
  for (let i = 0; i < form.inputSize; i++) value += form.linear[i]! * x[i]!;
  preActivations(form, x).forEach((z, j) => {
    if (z > 0) value += form.c[j]! * z;
  });
  return value;
}

/**
 * A lower bound on the objective that is an LP: each positive-weight ReLU in `counted` is replaced by
 * its input (c·z ≤ c·relu(z)), the others by 0, and each negative-weight ReLU is exact through an
 * epigraph column `t ≥ z, t ≥ 0`. No phase is fixed, so one LP spans many activation regions; at its
 * optimum the true objective is at least the LP's value. Returns a builder: the rows, the same for
 * every `counted`, are built once; each call only fills in the costs.
 */
export function singleLayerLps(
  form: SingleLayerForm,
  domain: LinearDomain,
): (counted: (unit: number) => boolean) => LinearProgram {
  const { A, b, c, inputSize: n, units } = form;
  const concave: number[] = [];
  for (let j = 0; j < units; j++) if (c[j]! < 0) concave.push(j);
  const numCols = n + concave.length;
  const rows = emptyRows();
  // t − A_j x ≥ b_j
  for (const [t, j] of concave.entries())
    pushUnitRow(rows, A, n, j, -1, n + t, b[j]!, Number.POSITIVE_INFINITY);
  for (const row of domain.rows) {
    row.coefficients.forEach((v, i) => {
      if (v === 0) return;
      rows.indices.push(i);
      rows.values.push(v);
    });
    rows.starts.push(rows.indices.length);
    rows.rowLower.push(row.lower);
    rows.rowUpper.push(row.upper);
  }
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(Number.POSITIVE_INFINITY);
  colLower.set(domain.lo);
  colUpper.set(domain.hi);
  const program = { numCols, colLower, colUpper, ...packRows(rows) };
  return (counted) => {
    const colCost = new Float64Array(numCols);
    colCost.set(form.linear);
    let offset = form.constant;
    for (let j = 0; j < units; j++) {
      if (!(c[j]! > 0) || !counted(j)) continue;
      for (let i = 0; i < n; i++) colCost[i]! += c[j]! * A[j * n + i]!;
      offset += c[j]! * b[j]!;
    }
    for (const [t, j] of concave.entries()) colCost[n + t] = c[j]!;
    return { ...program, colCost, offset };
  };
}

function identity(n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) M[i * n + i] = 1;
  return M;
}

interface AffineMap {
  M: Float64Array | null;
  m: Float64Array;
}

function composeAffine(
  W: Float64Array,
  bias: Float64Array,
  outSize: number,
  inSize: number,
  input: AffineMap,
  n: number,
): AffineMap {
  if (!input.M) {
    const m = Float64Array.from(bias);
    for (let o = 0; o < outSize; o++) {
      for (let i = 0; i < inSize; i++) m[o]! += W[o * inSize + i]! * input.m[i]!;
    }
    return { M: W.slice(), m };
  }
  const M = new Float64Array(outSize * n);
  const m = Float64Array.from(bias);
  for (let o = 0; o < outSize; o++) {
    const out = M.subarray(o * n, (o + 1) * n);
    for (let i = 0; i < inSize; i++) {
      const w = W[o * inSize + i]!;
      if (w === 0) continue;
      m[o]! += w * input.m[i]!;
      const row = input.M.subarray(i * n, (i + 1) * n);
      for (let k = 0; k < n; k++) out[k]! += w * row[k]!;
    }
  }
  return { M, m };
}
