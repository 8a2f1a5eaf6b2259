import type { ConcaveCase } from '../lp/networkMilp.ts';
import type { LayerGraph } from '../network/layerGraph.ts';
import type { SingleLayerForm } from '../polish/singleLayerForm.ts';

/**
 * A case of a certified objective on `affine → relu → affine` as the polish's one-ReLU-layer form
 * (`constant + Σ_j c_j relu(A_j·x + b_j)`, no linear term), the shape the unit-subset bound works on;
 * or why not. Deeper networks, other activations and positive-weight margins keep the ReLU-phase
 * branch and bound.
 */
export function hiddenLayerForm(graph: LayerGraph, objective: ConcaveCase): SingleLayerForm | string {
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
  const A = new Float64Array(units * n);
  if (first.matrix.kind === 'dense') A.set(first.matrix.values);
  else {
    const { starts, cols, values } = first.matrix;
    for (let j = 0; j < units; j++) {
      for (let k = starts[j]!; k < starts[j + 1]!; k++) A[j * n + cols[k]!] = values[k]!;
    }
  }
  const c = new Float64Array(units);
  let constant = 0;
  for (let o = 0; o < last.outSize; o++) {
    const weight = objective.base[o]!;
    if (weight === 0) continue;
    constant += weight * last.bias[o]!;
    if (last.matrix.kind === 'dense') {
      for (let j = 0; j < units; j++) c[j]! += weight * last.matrix.values[o * units + j]!;
    } else {
      const { starts, cols, values } = last.matrix;
      for (let k = starts[o]!; k < starts[o + 1]!; k++) c[cols[k]!]! += weight * values[k]!;
    }
  }
  return {
    inputSize: n,
    units,
    A,
    b: Float64Array.from(first.bias),
    c,
    linear: new Float64Array(n),
    constant,
  };
}
