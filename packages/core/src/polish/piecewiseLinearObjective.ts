import type { DenseReluNetwork } from '../network/denseReluChain.ts';
import { forwardLayerGraph, opSize } from '../network/layerGraph.ts';
import { type MarginTerm, marginValue } from '../objectives/marginTerm.ts';
import type { ObjectiveSpec } from '../spec/types.ts';

/** `weight` times one output of op `node` (-1: the input itself). Affine in x over an activation region. */
export interface AffineTerm {
  weight: number;
  node: number;
  index: number;
}

/** An objective that is piecewise linear in the input of a ReLU network: affine terms plus margins. */
export interface PiecewiseLinearObjective {
  affine: AffineTerm[];
  margins: MarginTerm[];
}

/**
 * Rewrites an objective as affine terms and margins on the network's nodes, or says why it is not
 * piecewise linear (probabilities, log-probabilities, channel means, units after the softmax).
 */
export function compilePiecewiseLinear(
  network: DenseReluNetwork,
  spec: ObjectiveSpec,
): PiecewiseLinearObjective | { unsupported: string } {
  const result: PiecewiseLinearObjective = { affine: [], margins: [] };
  const logitsNode = network.ops.length - 1;
  const logitCount = nodeSize(network, logitsNode);
  const add = (s: ObjectiveSpec, weight: number): string | undefined => {
    switch (s.kind) {
      case 'logit':
      case 'margin':
        if (!Number.isInteger(s.index) || s.index < 0 || s.index >= logitCount) {
          return `${s.kind} index ${s.index} is outside 0..${logitCount - 1}`;
        }
        if (s.kind === 'logit') result.affine.push({ weight, node: logitsNode, index: s.index });
        else result.margins.push({ weight, index: s.index });
        return undefined;
      case 'unit': {
        const node = network.layerOutputs.get(s.layer);
        if (node === undefined) return `no layer named ${JSON.stringify(s.layer)}`;
        if (node === 'softmax')
          return `unit objectives on ${s.layer} are probabilities, not piecewise linear`;
        const size = nodeSize(network, node);
        if (!Number.isInteger(s.index) || s.index < 0 || s.index >= size) {
          return `unit index ${s.index} of ${s.layer} is outside 0..${size - 1}`;
        }
        result.affine.push({ weight, node, index: s.index });
        return undefined;
      }
      case 'sum':
        for (const term of s.terms) {
          const reason = add(term.objective, weight * term.weight);
          if (reason) return reason;
        }
        return undefined;
      default:
        return `objective ${s.kind} is not piecewise linear in the input (polish handles logit, margin, unit and sums of these)`;
    }
  };
  const reason = add(spec, 1);
  return reason ? { unsupported: reason } : result;
}

/** The objective at one input, in float64, with the exact ReLUs (not a region's linearisation). */
export function evaluatePiecewiseLinear(
  network: DenseReluNetwork,
  objective: PiecewiseLinearObjective,
  input: ArrayLike<number>,
): number {
  const outputs = forwardLayerGraph(network, input);
  const node = (i: number): ArrayLike<number> => (i < 0 ? input : outputs[i]!);
  let value = 0;
  for (const term of objective.affine) value += term.weight * node(term.node)[term.index]!;
  if (objective.margins.length > 0) {
    const logits = node(network.ops.length - 1);
    for (const term of objective.margins) {
      value += marginValue(term, logits);
    }
  }
  return value;
}

export function nodeSize(network: DenseReluNetwork, node: number): number {
  if (node < 0) return network.inputSize;
  return opSize(network.ops[node]!);
}
