import type { AffineTerm, ConcaveCase } from '../lp/networkMilp.ts';
import { type SingleLayerForm, singleLayerForm } from '../lp/singleLayerForm.ts';
import type { LayerGraph } from '../network/layerGraph.ts';

/**
 * A case of a certified objective on `affine → relu → affine` as the one-ReLU-layer form
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
  // The certified objective weighs the logits only (its base); as terms on the last node.
  const affine: AffineTerm[] = [];
  objective.base.forEach((weight, index) => {
    if (weight !== 0) affine.push({ node: 2, index, weight });
  });
  return singleLayerForm(graph, { affine, margins: [] })!;
}
