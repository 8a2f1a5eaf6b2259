import type { ConcaveCase } from '../lp/networkMilp.ts';
import type { LayerGraph } from '../network/layerGraph.ts';
import { type MarginTerm, marginValue } from '../objectives/marginTerm.ts';
import type { ObjectiveSpec } from '../spec/types.ts';

/** An objective built from the logits: a weighted sum of logits plus weighted margins. */
export interface LogitObjective {
  /** Weight per logit. */
  linear: Float64Array;
  margins: MarginTerm[];
}

/** Most linear cases a negative-weight margin may expand into (each is bounded separately). */
const maxCases = 100;

export const certifiableObjectives =
  'logit:K, margin:K, unit objectives on the logits layer, and weighted sums of these';

/**
 * Rewrites `spec` as a function of the logits (the last op's output), or says why it is not one:
 * probabilities and log-probabilities are not linear in the logits, hidden-layer units are not
 * logits. A margin is `min_j (logit_k − logit_j)`: concave for a positive weight (bounded through
 * a mixture over j), convex for a negative one (expanded into one case per j).
 */
export function compileLogitObjective(
  graph: LayerGraph,
  spec: ObjectiveSpec,
): LogitObjective | { unsupported: string } {
  const classes = graph.outputSize;
  const last = graph.ops.at(-1);
  if (last?.kind !== 'affine') {
    return {
      unsupported: `the model's output is not an affine layer's (it ends in ${last ? last.kind : 'no layer'}), so it has no logits to bound`,
    };
  }
  const objective: LogitObjective = { linear: new Float64Array(classes), margins: [] };
  const add = (s: ObjectiveSpec, weight: number): string | undefined => {
    switch (s.kind) {
      case 'logit':
      case 'margin':
        if (!Number.isInteger(s.index) || s.index < 0 || s.index >= classes) {
          return `${s.kind} index ${s.index} is outside 0..${classes - 1}`;
        }
        if (s.kind === 'margin' && classes < 2) return 'a margin needs at least 2 outputs';
        if (s.kind === 'logit') objective.linear[s.index]! += weight;
        else objective.margins.push({ weight, index: s.index });
        return undefined;
      case 'unit': {
        const node = graph.layerOutputs.get(s.layer);
        if (node !== graph.ops.length - 1) {
          return `a unit of layer ${s.layer} is ${node === 'softmax' ? 'a probability' : 'not a logit'}; certificates cover objectives linear in the logits (${certifiableObjectives})`;
        }
        return add({ kind: 'logit', index: s.index }, weight);
      }
      case 'sum':
        for (const term of s.terms) {
          const reason = add(term.objective, weight * term.weight);
          if (reason) return reason;
        }
        return undefined;
      case 'prob':
      case 'logprob':
        return `${s.kind} is not linear in the logits (softmax couples all of them), so no bound is given; certify logit:${s.index} or margin:${s.index} instead`;
      default:
        return `objective ${s.kind} is not linear in the logits; certificates cover ${certifiableObjectives}`;
    }
  };
  const reason = add(spec, 1);
  if (reason) return { unsupported: reason };
  objective.margins = objective.margins.filter((m) => m.weight !== 0);
  const cases = negativeCaseCount(objective);
  if (cases > maxCases) {
    return {
      unsupported: `negative-weight margins expand into ${cases} cases (at most ${maxCases} are bounded)`,
    };
  }
  return objective;
}

function negativeCaseCount(objective: LogitObjective): number {
  const classes = objective.linear.length;
  return objective.margins.filter((m) => m.weight < 0).reduce((n) => n * (classes - 1), 1);
}

/**
 * The concave cases whose maximum is the objective's: `max f = max_case max ...`. A negative margin
 * `−w·min_j(...) = w·max_j(logit_j − logit_k)` contributes one case per j; positive margins stay as
 * mins. A plain weighted sum of logits is one case with no mins.
 */
export function concaveCases(objective: LogitObjective): ConcaveCase[] {
  const classes = objective.linear.length;
  const difference = (k: number, j: number, scale: number) => {
    const d = new Float64Array(classes);
    d[k] = scale;
    d[j] = -scale;
    return d;
  };
  let bases = [Float64Array.from(objective.linear)];
  const mins: ConcaveCase['mins'] = [];
  for (const m of objective.margins) {
    const others = Array.from({ length: classes }, (_, j) => j).filter((j) => j !== m.index);
    if (m.weight > 0) {
      mins.push({ weight: m.weight, options: others.map((j) => difference(m.index, j, 1)) });
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
  return bases.map((base) => ({ base, mins }));
}

/** The objective at given logits (float64, exact margins). */
export function evaluateLogitObjective(objective: LogitObjective, logits: ArrayLike<number>): number {
  let value = 0;
  for (let i = 0; i < objective.linear.length; i++) value += objective.linear[i]! * logits[i]!;
  for (const m of objective.margins) value += marginValue(m, logits);
  return value;
}
