import type { LayerGraph } from '../network/layerGraph.ts';
import {
  compileExactObjective,
  concaveCaseCount,
  type ExactObjective,
} from '../objectives/exactObjective.ts';
import type { ObjectiveSpec } from '../spec/types.ts';

/** Most linear cases negative-weight margins may expand into (each is bounded separately). */
const maxCases = 100;

export const certifiableObjectives =
  'logit:K, margin:K, unit objectives on the logits layer, and weighted sums of these';

/**
 * `spec` compiled for the certifier, which bounds functions of the logits (the last op's output, an
 * affine layer's): every term must weigh logits, and negative margins expand into at most `maxCases`
 * concave cases. Otherwise the reason.
 */
export function compileCertifiedObjective(
  graph: LayerGraph,
  spec: ObjectiveSpec,
): ExactObjective | { unsupported: string } {
  const last = graph.ops.at(-1);
  if (last?.kind !== 'affine') {
    return {
      unsupported: `the model's output is not an affine layer's (it ends in ${last ? last.kind : 'no layer'}), so it has no logits to bound`,
    };
  }
  const objective = compileExactObjective(graph, spec);
  if ('unsupported' in objective) return objective;
  const hidden = objective.affine.find((t) => t.node !== graph.ops.length - 1);
  if (hidden) {
    const layer = hidden.node < 0 ? 'the input' : graph.ops[hidden.node]!.layer;
    return {
      unsupported: `a unit of layer ${layer} is not a logit; certificates cover objectives linear in the logits (${certifiableObjectives})`,
    };
  }
  const cases = concaveCaseCount(graph, objective);
  if (cases > maxCases) {
    return {
      unsupported: `negative-weight margins expand into ${cases} cases (at most ${maxCases} are bounded)`,
    };
  }
  return objective;
}
