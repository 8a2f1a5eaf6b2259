import type { AffineTerm, ConcaveCase } from '../lp/networkMilp.ts';
import { forwardLayerGraph, type LayerGraph, opSize } from '../network/layerGraph.ts';
import type { ObjectiveSpec } from '../spec/types.ts';
import { type MarginTerm, marginValue } from './marginTerm.ts';

/**
 * An objective as exact methods see it: affine terms on the network's nodes (logits, or a hidden
 * layer's units) plus margins on the logits (the last op's output). Piecewise linear in the input of
 * a ReLU network; the polish and the certifier both compile an ObjectiveSpec into it.
 */
export interface ExactObjective {
  affine: AffineTerm[];
  margins: MarginTerm[];
}

/**
 * Rewrites `spec` as affine terms and margins on the graph's nodes, or says why it cannot:
 * probabilities and log-probabilities are not linear in the logits (softmax couples all of them),
 * units after the softmax are probabilities, other objectives are not piecewise linear.
 */
export function compileExactObjective(
  graph: LayerGraph,
  spec: ObjectiveSpec,
): ExactObjective | { unsupported: string } {
  const result: ExactObjective = { affine: [], margins: [] };
  const logitsNode = graph.ops.length - 1;
  const logitCount = graph.outputSize;
  const add = (s: ObjectiveSpec, weight: number): string | undefined => {
    switch (s.kind) {
      case 'logit':
      case 'margin':
        if (!Number.isInteger(s.index) || s.index < 0 || s.index >= logitCount) {
          return `${s.kind} index ${s.index} is outside 0..${logitCount - 1}`;
        }
        if (s.kind === 'margin' && logitCount < 2) return 'a margin needs at least 2 outputs';
        if (s.kind === 'logit') result.affine.push({ weight, node: logitsNode, index: s.index });
        else result.margins.push({ weight, index: s.index });
        return undefined;
      case 'unit': {
        const node = graph.layerOutputs.get(s.layer);
        if (node === undefined) return `no layer named ${JSON.stringify(s.layer)}`;
        if (node === 'softmax') {
          return `a unit of layer ${s.layer} is a probability, not piecewise linear in the input`;
        }
        const size = nodeSize(graph, node);
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
      case 'prob':
      case 'logprob':
        return `${s.kind} is not linear in the logits (softmax couples all of them), so not piecewise linear in the input; use logit:${s.index} or margin:${s.index} instead`;
      default:
        return `objective ${s.kind} is not piecewise linear in the input (exact methods handle logit, margin, unit and sums of these)`;
    }
  };
  const reason = add(spec, 1);
  if (reason) return { unsupported: reason };
  result.margins = result.margins.filter((m) => m.weight !== 0);
  return result;
}

/** The objective at one input, in float64, with the exact activations (and `outputs` when known). */
export function evaluateExactObjective(
  graph: LayerGraph,
  objective: ExactObjective,
  input: ArrayLike<number>,
  outputs: Float64Array[] = forwardLayerGraph(graph, input),
): number {
  const node = (i: number): ArrayLike<number> => (i < 0 ? input : outputs[i]!);
  let value = 0;
  for (const term of objective.affine) value += term.weight * node(term.node)[term.index]!;
  if (objective.margins.length > 0) {
    const logits = node(graph.ops.length - 1);
    for (const term of objective.margins) value += marginValue(term, logits);
  }
  return value;
}

/** How many concave cases `concaveCases` gives: (classes − 1) per negative-weight margin. */
export function concaveCaseCount(graph: LayerGraph, objective: ExactObjective): number {
  return objective.margins.filter((m) => m.weight < 0).reduce((n) => n * (graph.outputSize - 1), 1);
}

/**
 * The concave cases whose maximum is the objective's: `max f = max_case max ...`. A positive margin is
 * `min_j (logit_k − logit_j)`, a min over its options; a negative one, `−w·min_j(...) =
 * w·max_j(logit_j − logit_k)`, contributes one case per j. Terms on the logits form each case's base;
 * terms on other nodes are its unit terms. An objective without negative margins is one case.
 */
export function concaveCases(graph: LayerGraph, objective: ExactObjective): ConcaveCase[] {
  const classes = graph.outputSize;
  const logitsNode = graph.ops.length - 1;
  const linear = new Float64Array(classes);
  const terms = objective.affine.filter((t) => t.node !== logitsNode);
  for (const t of objective.affine) if (t.node === logitsNode) linear[t.index]! += t.weight;
  const difference = (k: number, j: number) => {
    const d = new Float64Array(classes);
    d[k] = 1;
    d[j] = -1;
    return d;
  };
  let bases = [linear];
  const mins: ConcaveCase['mins'] = [];
  for (const m of objective.margins) {
    const others = Array.from({ length: classes }, (_, j) => j).filter((j) => j !== m.index);
    if (m.weight > 0) {
      mins.push({ weight: m.weight, options: others.map((j) => difference(m.index, j)) });
    } else {
      bases = bases.flatMap((base) =>
        others.map((j) => {
          const next = Float64Array.from(base);
          next[j]! += -m.weight;
          next[m.index]! -= -m.weight;
          return next;
        }),
      );
    }
  }
  return bases.map((base) => ({ base, ...(terms.length > 0 ? { terms } : {}), mins }));
}

function nodeSize(graph: LayerGraph, node: number): number {
  return node < 0 ? graph.inputSize : opSize(graph.ops[node]!);
}
