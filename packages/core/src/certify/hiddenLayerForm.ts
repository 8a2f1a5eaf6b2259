import type { LayerGraph } from '../network/layerGraph.ts';
import type { ConcaveCase } from './logitObjective.ts';

/**
 * A linear objective of a network with one ReLU layer, `constant + Σ_j weight_j · relu(w_j · x + b_j)`:
 * the shape the unit-subset bound works on (the seed model's `Dense → ReLU → Dense`).
 */
export interface HiddenLayerForm {
  inputSize: number;
  units: number;
  /** Pre-activation rows `w_j`, row-major `[units, inputSize]`. */
  rows: Float64Array;
  bias: Float64Array;
  /** The objective's weight on each ReLU output (the output layer pulled back through the case). */
  weight: Float64Array;
  constant: number;
}

/**
 * `affine → relu → affine` with a case that has no margins, or why not. Deeper networks, other
 * activations and positive-weight margins keep the ReLU-phase branch and bound.
 */
export function hiddenLayerForm(graph: LayerGraph, objective: ConcaveCase): HiddenLayerForm | string {
  const [first, relu, last] = graph.ops;
  if (
    graph.ops.length !== 3 ||
    first?.kind !== 'affine' ||
    relu?.kind !== 'relu' ||
    last?.kind !== 'affine'
  ) {
    return 'the network is not one Dense → ReLU → Dense block';
  }
  if (objective.mins.length > 0) return 'the objective has a margin (a minimum over logits)';
  const n = first.inSize;
  const units = first.outSize;
  const rows = new Float64Array(units * n);
  if (first.matrix.kind === 'dense') rows.set(first.matrix.values);
  else {
    const { starts, cols, values } = first.matrix;
    for (let j = 0; j < units; j++) {
      for (let k = starts[j]!; k < starts[j + 1]!; k++) rows[j * n + cols[k]!] = values[k]!;
    }
  }
  const weight = new Float64Array(units);
  let constant = 0;
  for (let o = 0; o < last.outSize; o++) {
    const c = objective.base[o]!;
    if (c === 0) continue;
    constant += c * last.bias[o]!;
    if (last.matrix.kind === 'dense') {
      for (let j = 0; j < units; j++) weight[j]! += c * last.matrix.values[o * units + j]!;
    } else {
      const { starts, cols, values } = last.matrix;
      for (let k = starts[o]!; k < starts[o + 1]!; k++) weight[cols[k]!]! += c * values[k]!;
    }
  }
  return { inputSize: n, units, rows, bias: Float64Array.from(first.bias), weight, constant };
}

/** The objective at `x` in float64. */
export function hiddenLayerValue(form: HiddenLayerForm, x: ArrayLike<number>): number {
  const { inputSize: n, rows, bias, weight } = form;
  let value = form.constant;
  for (let j = 0; j < form.units; j++) {
    if (weight[j] === 0) continue;
    let z = bias[j]!;
    for (let i = 0; i < n; i++) z += rows[j * n + i]! * x[i]!;
    if (z > 0) value += weight[j]! * z;
  }
  return value;
}
