import type { LinearProgram, LpSolution } from '../lp/linearProgram.ts';
import type { SingleLayerForm } from '../lp/singleLayerForm.ts';

/**
 * For the optimal single-layer LP `lp` (counting the positive-weight ReLUs in `counted`), an upper
 * bound on the LP value after toggling a set of units in or out, from the row duals of `solution`
 * (Lagrangian bound with the duals held: max over the box of the reduced costs plus the toggles'
 * change). O(inputs) per unit toggled, against one LP solve per toggle tried; -∞ when a unit does not
 * toggle (not a positive weight). It ranks toggles: the objective at a toggled LP's optimum can still
 * exceed the bound (the LP only bounds it from below).
 */
export function toggleBounds(
  form: SingleLayerForm,
  lp: LinearProgram,
  solution: LpSolution,
  counted: Uint8Array,
): ((toggled: number[]) => number) | undefined {
  const { A, b, c, inputSize: n } = form;
  const base = reducedCosts(lp, solution, n);
  if (!base) return undefined;
  const { reduced, constant } = base;
  const d = new Float64Array(n);
  return (toggled) => {
    d.set(reduced.subarray(0, n));
    let bound = constant;
    for (const j of toggled) {
      if (!(c[j]! > 0)) return Number.NEGATIVE_INFINITY;
      // Toggling j adds (or removes) c_j (A_j x + b_j) to the objective.
      const sign = counted[j] === 1 ? -c[j]! : c[j]!;
      bound += sign * b[j]!;
      for (let i = 0; i < n; i++) d[i]! += sign * A[j * n + i]!;
    }
    for (let i = 0; i < n; i++) bound += boxMax(d[i]!, lp.colLower[i]!, lp.colUpper[i]!);
    return bound;
  };
}

/**
 * Reduced costs `cost − Aᵀy` of all columns, and the part of the Lagrangian bound that a toggle does
 * not change (offset, row terms, columns past the inputs), with the sign of HiGHS's duals that makes
 * the bound finite and tightest.
 */
function reducedCosts(
  lp: LinearProgram,
  solution: LpSolution,
  inputs: number,
): { reduced: Float64Array; constant: number } | undefined {
  let best: { reduced: Float64Array; constant: number; value: number } | undefined;
  for (const sign of [1, -1]) {
    const reduced = Float64Array.from(lp.colCost);
    let constant = lp.offset;
    for (let r = 0; r < lp.numRows; r++) {
      const y = sign * solution.rowDual[r]!;
      if (y === 0) continue;
      constant += y > 0 ? y * lp.rowUpper[r]! : y * lp.rowLower[r]!;
      for (let k = lp.starts[r]!; k < lp.starts[r + 1]!; k++) reduced[lp.indices[k]!]! -= y * lp.values[k]!;
    }
    let value = constant;
    for (let i = 0; i < lp.numCols; i++) {
      const term = boxMax(reduced[i]!, lp.colLower[i]!, lp.colUpper[i]!);
      value += term;
      if (i >= inputs) constant += term;
    }
    if (Number.isFinite(value) && !(best && best.value <= value)) best = { reduced, constant, value };
  }
  return best;
}

/** max of d·x over [lo, hi]; a reduced cost within round-off of 0 counts as 0 (unbounded columns). */
function boxMax(d: number, lo: number, hi: number): number {
  if (Math.abs(d) < 1e-9) return 0;
  return Math.max(d * lo, d * hi);
}
