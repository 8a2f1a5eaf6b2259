import { float64Allowance } from '../network/intervalBounds.ts';
import type { AffineOp, LayerGraph } from '../network/layerGraph.ts';

/**
 * A tighter upper bound for a first-layer ReLU `relu(w·x + b)` over the input box: any linear function
 * `g(x) = κ·x + c` with `c = max(b + max_box (w − κ)·x, max_box (−κ)·x)` lies above it on the whole box
 * (above `w·x + b` and above 0). With `κ = ρ ⊙ w`, ρ ∈ [0, 1]^n, the constant ρ = u/(u − l) gives the
 * usual triangle line; optimising ρ per input reaches the tightest linear bounds of the single
 * neuron's convex hull (the "ideal" relaxation of Anderson et al.), the per-input slopes doing for
 * the hull what α does for the lower line.
 */
export interface SlopeRow {
  /** Input indices of the row's non-zero weights (null: all inputs, dense). */
  cols: Int32Array | null;
  weights: Float64Array;
  bias: number;
}

/** The ReLU op that reads an affine op of the input directly (index 1), when there is one. */
export function inputSlopeOp(graph: LayerGraph): number | undefined {
  return graph.ops[0]?.kind === 'affine' && graph.ops[1]?.kind === 'relu' ? 1 : undefined;
}

export function slopeRow(op: AffineOp, unit: number): SlopeRow {
  const W = op.matrix;
  if (W.kind === 'dense') {
    return {
      cols: null,
      weights: W.values.subarray(unit * op.inSize, (unit + 1) * op.inSize),
      bias: op.bias[unit]!,
    };
  }
  const start = W.starts[unit]!;
  const end = W.starts[unit + 1]!;
  return { cols: W.cols.subarray(start, end), weights: W.values.subarray(start, end), bias: op.bias[unit]! };
}

export interface SlopeLine {
  /** Padded for round-off. */
  intercept: number;
  /** Which piece attains the intercept: 0 (above w·x + b) or 1 (above 0). */
  piece: 0 | 1;
}

/** The intercept `c` of the line with slopes `ρ ⊙ w` over the box. */
export function slopeLine(row: SlopeRow, rho: Float64Array, lo: Float64Array, hi: Float64Array): SlopeLine {
  let above = row.bias;
  let zero = 0;
  let size = Math.abs(row.bias);
  for (let k = 0; k < row.weights.length; k++) {
    const i = row.cols ? row.cols[k]! : k;
    const w = row.weights[k]!;
    const kappa = rho[k]! * w;
    const rest = w - kappa;
    above += rest > 0 ? rest * hi[i]! : rest * lo[i]!;
    zero += kappa < 0 ? -kappa * hi[i]! : -kappa * lo[i]!;
    size += Math.abs(w) * Math.max(Math.abs(lo[i]!), Math.abs(hi[i]!));
  }
  const pad = float64Allowance(2 * row.weights.length) * size;
  return above >= zero ? { intercept: above + pad, piece: 0 } : { intercept: zero + pad, piece: 1 };
}

/** Adds `v · g(x)`'s input coefficients to `A`; returns `v · c`. */
export function addSlopeLine(
  A: Float64Array,
  row: SlopeRow,
  rho: Float64Array,
  v: number,
  line: SlopeLine,
): number {
  for (let k = 0; k < row.weights.length; k++)
    A[row.cols ? row.cols[k]! : k]! += v * rho[k]! * row.weights[k]!;
  return v * line.intercept;
}

/** `g(x)` at an input. */
export function slopeLineAt(row: SlopeRow, rho: Float64Array, line: SlopeLine, x: ArrayLike<number>): number {
  let sum = line.intercept;
  for (let k = 0; k < row.weights.length; k++)
    sum += rho[k]! * row.weights[k]! * x[row.cols ? row.cols[k]! : k]!;
  return sum;
}

/**
 * Subgradient of `v · g(x*)` in ρ: `v · w_i · (x*_i − x̂_i)`, x̂ the box vertex attaining the intercept
 * (the intercept falls by x̂_i per unit of κ_i on either piece).
 */
export function slopeGradient(
  row: SlopeRow,
  rho: Float64Array,
  v: number,
  line: SlopeLine,
  x: ArrayLike<number>,
  lo: Float64Array,
  hi: Float64Array,
  out: Float64Array,
): void {
  for (let k = 0; k < row.weights.length; k++) {
    const i = row.cols ? row.cols[k]! : k;
    const w = row.weights[k]!;
    const kappa = rho[k]! * w;
    const vertex = line.piece === 0 ? (w - kappa > 0 ? hi[i]! : lo[i]!) : kappa < 0 ? hi[i]! : lo[i]!;
    out[k] = v * w * (x[i]! - vertex);
  }
}
