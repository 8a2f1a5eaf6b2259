import type { LinearDomain } from '../lp/linearDomain.ts';
import { type LinearProgram, packRows } from '../lp/linearProgram.ts';
import type { DenseReluNetwork } from '../network/denseReluChain.ts';
import type { ExactObjective } from '../objectives/exactObjective.ts';

/** One phase per ReLU unit (1 active, 0 inactive), indexed by op; non-ReLU ops have empty arrays. */
export type ActivationPattern = Uint8Array[];

export interface RegionLp {
  lp: LinearProgram;
  /** For each row that fixes a ReLU's phase: its op and unit (-1 for other rows). */
  rowOp: Int32Array;
  rowUnit: Int32Array;
}

/** A node's output as an affine function `M x + m` of the input over the region (`M` row-major). */
interface AffineMap {
  M: Float64Array;
  m: Float64Array;
  rows: number;
}

/**
 * The LP "maximise the objective over the inputs whose ReLUs have exactly this pattern": inside one
 * activation region the network is affine, each ReLU's phase is one linear inequality on the input,
 * and a positive-weight margin is a max-min that an epigraph column `t ≤ logit_k − logit_j ∀j≠k`
 * makes linear. A negative-weight margin is convex, so it is taken against `runnerUp` (fixed class).
 * Phase rows that the input bounds already imply are left out.
 */
export function buildRegionLp(
  network: DenseReluNetwork,
  objective: ExactObjective,
  domain: LinearDomain,
  pattern: ActivationPattern,
  runnerUp: (index: number) => number,
): RegionLp {
  const n = network.inputSize;
  const { lo, hi } = domain;
  const needed = new Set(objective.affine.map((t) => t.node));
  if (objective.margins.length > 0) needed.add(network.ops.length - 1);
  const maps = new Map<number, AffineMap>();

  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const rowOp: number[] = [];
  const rowUnit: number[] = [];
  const addRow = (coefficients: ArrayLike<number>, lower: number, upper: number, op = -1, unit = -1) => {
    for (let i = 0; i < coefficients.length; i++) {
      if (coefficients[i] !== 0) {
        indices.push(i);
        values.push(coefficients[i]!);
      }
    }
    starts.push(indices.length);
    rowLower.push(lower);
    rowUpper.push(upper);
    rowOp.push(op);
    rowUnit.push(unit);
  };

  // null: the input itself (identity), materialised only when a ReLU or objective reads it.
  let map: AffineMap | null = null;
  if (needed.has(-1)) maps.set(-1, identity(n));
  network.ops.forEach((op, opIndex) => {
    if (op.kind === 'affine') {
      map = map
        ? denseMap(op.matrix.values, op.bias, op.outSize, op.inSize, map, n)
        : { M: op.matrix.values.slice(), m: op.bias.slice(), rows: op.outSize };
    } else {
      const phases = pattern[opIndex]!;
      const source: AffineMap = map ?? identity(n);
      const M = source.M.slice();
      const m = source.m.slice();
      for (let j = 0; j < op.size; j++) {
        const row = M.subarray(j * n, (j + 1) * n);
        let low = m[j]!;
        let high = m[j]!;
        for (let i = 0; i < n; i++) {
          const a = row[i]!;
          if (a > 0) {
            low += a * lo[i]!;
            high += a * hi[i]!;
          } else if (a < 0) {
            low += a * hi[i]!;
            high += a * lo[i]!;
          }
        }
        if (phases[j] === 1) {
          if (low < 0) addRow(row, -m[j]!, Number.POSITIVE_INFINITY, opIndex, j);
        } else {
          if (high > 0) addRow(row, Number.NEGATIVE_INFINITY, -m[j]!, opIndex, j);
          row.fill(0);
          m[j] = 0;
        }
      }
      map = { M, m, rows: op.size };
    }
    if (needed.has(opIndex)) maps.set(opIndex, map!);
  });

  const positiveMargins = objective.margins.filter((t) => t.weight > 0);
  const numCols = n + positiveMargins.length;
  const colCost = new Float64Array(numCols);
  let offset = 0;
  const addAffine = (node: number, index: number, weight: number) => {
    const { M, m } = maps.get(node)!;
    for (let i = 0; i < n; i++) colCost[i]! += weight * M[index * n + i]!;
    offset += weight * m[index]!;
  };
  for (const term of objective.affine) addAffine(term.node, term.index, term.weight);
  const logitsNode = network.ops.length - 1;
  for (const term of objective.margins) {
    if (term.weight > 0) continue;
    addAffine(logitsNode, term.index, term.weight);
    addAffine(logitsNode, runnerUp(term.index), -term.weight);
  }

  const colLower = new Float64Array(numCols).fill(Number.NEGATIVE_INFINITY);
  const colUpper = new Float64Array(numCols).fill(Number.POSITIVE_INFINITY);
  colLower.set(lo);
  colUpper.set(hi);
  for (const row of domain.rows) addRow(row.coefficients, row.lower, row.upper);

  if (positiveMargins.length > 0) {
    const logits = maps.get(logitsNode)!;
    const classes = network.outputSize;
    positiveMargins.forEach((term, t) => {
      colCost[n + t] = term.weight;
      const k = term.index;
      // t − (M_k − M_j)·x ≤ m_k − m_j for every other class j.
      for (let j = 0; j < classes; j++) {
        if (j === k) continue;
        const coefficients = new Float64Array(numCols);
        for (let i = 0; i < n; i++) coefficients[i] = logits.M[j * n + i]! - logits.M[k * n + i]!;
        coefficients[n + t] = 1;
        addRow(coefficients, Number.NEGATIVE_INFINITY, logits.m[k]! - logits.m[j]!);
      }
    });
  }

  return {
    lp: {
      numCols,
      colCost,
      offset,
      colLower,
      colUpper,
      ...packRows({ starts, indices, values, rowLower, rowUpper }),
    },
    rowOp: Int32Array.from(rowOp),
    rowUnit: Int32Array.from(rowUnit),
  };
}

function identity(n: number): AffineMap {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) M[i * n + i] = 1;
  return { M, m: new Float64Array(n), rows: n };
}

/** W·(M x + m) + b as a new affine map; skips rows of M that are zero (inactive units). */
function denseMap(
  W: Float64Array,
  b: Float64Array,
  outSize: number,
  inSize: number,
  input: AffineMap,
  n: number,
): AffineMap {
  const M = new Float64Array(outSize * n);
  const m = Float64Array.from(b);
  const live: number[] = [];
  for (let i = 0; i < inSize; i++) {
    const row = input.M.subarray(i * n, (i + 1) * n);
    if (row.some((v) => v !== 0) || input.m[i] !== 0) live.push(i);
  }
  for (let o = 0; o < outSize; o++) {
    const out = M.subarray(o * n, (o + 1) * n);
    let offset = m[o]!;
    for (const i of live) {
      const w = W[o * inSize + i]!;
      if (w === 0) continue;
      offset += w * input.m[i]!;
      const row = input.M.subarray(i * n, (i + 1) * n);
      for (let c = 0; c < n; c++) out[c]! += w * row[c]!;
    }
    m[o] = offset;
  }
  return { M, m, rows: outSize };
}
