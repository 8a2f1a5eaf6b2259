/**
 * `weight · (logit[index] − max_{j≠index} logit[j])`: concave in the logits for weight > 0, convex for
 * weight < 0. The margin term of the exact (float64) objectives that the polish and the certifier
 * compile an ObjectiveSpec into; margin.ts is its tensor counterpart for gradient methods.
 */
export interface MarginTerm {
  weight: number;
  index: number;
}

/** The largest entry other than `index` (the runner-up class of a margin). */
export function largestOther(values: ArrayLike<number>, index: number): { index: number; value: number } {
  let best = { index: -1, value: Number.NEGATIVE_INFINITY };
  for (let j = 0; j < values.length; j++) {
    if (j !== index && values[j]! > best.value) best = { index: j, value: values[j]! };
  }
  return best;
}

/** The term's value at given logits. */
export function marginValue(term: MarginTerm, logits: ArrayLike<number>): number {
  return term.weight * (logits[term.index]! - largestOther(logits, term.index).value);
}
