import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.ts';
import type { ObjectiveSpec } from '../spec/types.ts';
import type { ObjectiveTerm, TermContext } from './objectiveTerm.ts';

/** Σ weightᵢ · objectiveᵢ, e.g. "logit 3 minus half of logit 5"; all terms share one forward pass. */
export function weightedSum(
  spec: { terms: { weight: number; objective: ObjectiveSpec }[] },
  context: TermContext,
  build: (spec: ObjectiveSpec, context: TermContext) => ObjectiveTerm,
): ObjectiveTerm {
  if (!Array.isArray(spec.terms) || spec.terms.length === 0) {
    throw new InvalidArgumentError(
      `${context.argument}.terms`,
      spec.terms,
      'a non-empty array of { weight, objective }',
    );
  }
  const parts = spec.terms.map((term, i) => {
    const argument = `${context.argument}.terms[${i}]`;
    if (typeof term?.weight !== 'number' || !Number.isFinite(term.weight)) {
      throw new InvalidArgumentError(`${argument}.weight`, term?.weight, 'a finite number');
    }
    return {
      weight: term.weight,
      term: build(term.objective, { ...context, argument: `${argument}.objective` }),
    };
  });
  return {
    layers: [...new Set(parts.flatMap((p) => p.term.layers))],
    value: (taps) =>
      parts
        .map(({ weight, term }) => tf.mul(term.value(taps), weight) as tf.Tensor1D)
        .reduce((a, b) => tf.add(a, b) as tf.Tensor1D),
  };
}
