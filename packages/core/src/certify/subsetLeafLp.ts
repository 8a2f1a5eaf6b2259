import { emptyRows, packRows, pushUnitRow } from '../lp/linearProgram.ts';
import { solveLp } from '../lp/solveLp.ts';
import { dualEvaluator, type SubsetNodeState, type SubsetProblem } from './subsetDual.ts';

export interface LeafSolution {
  /** The LP's optimum: the best input of the leaf's region (a candidate for the incumbent). */
  x: Float64Array;
  /** A sound bound on the leaf: the Lagrangian at the LP's duals (equal to its optimum up to roundoff). */
  bound: number;
}

/**
 * A leaf of the subset search (every positive-weight unit's phase fixed) is a linear program: the
 * active units are linear, the phases are rows `z_j ≥ 0` / `z_j ≤ 0`, and each negative-weight unit
 * is exact through an epigraph column `t ≥ z, t ≥ 0`. HiGHS solves it in milliseconds where L-BFGS on
 * the smoothed dual stalls a little above the optimum (0.17 % on the seed model's whole box, class 9,
 * enough to leave it open). HiGHS's answer is not trusted as a bound: its row duals become the
 * Lagrangian's multipliers (α = y/|a| for the negative units, β = |y| for the phase rows), and the
 * bound is that Lagrangian evaluated exactly (`dualEvaluator`), sound whatever the duals are.
 * Undefined when the LP is not solved to optimality (the caller keeps its own bound).
 */
export async function solveLeafLp(
  problem: SubsetProblem,
  node: SubsetNodeState,
  timeLimitSeconds: number,
): Promise<LeafSolution | undefined> {
  const { form, lo, hi, positive, negative } = problem;
  const { A, b, c, inputSize: n } = form;
  const numCols = n + negative.length;
  const colCost = new Float64Array(numCols);
  colCost.set(problem.linear);
  let offset = problem.constant;
  const rows = emptyRows();
  // t_k − z_j ≥ 0, i.e. t_k − A_j x ≥ b_j, priced at the unit's (negative) weight.
  negative.forEach((j, k) => {
    pushUnitRow(rows, A, n, j, -1, n + k, b[j]!, Number.POSITIVE_INFINITY);
    colCost[n + k] = c[j]!;
  });
  positive.forEach((j, p) => {
    const phase = node.phase[p]!;
    if (phase === 0) throw new Error('solveLeafLp: every positive unit must have its phase fixed');
    if (phase > 0) {
      for (let i = 0; i < n; i++) colCost[i]! += c[j]! * A[j * n + i]!;
      offset += c[j]! * b[j]!;
      pushUnitRow(rows, A, n, j, 1, undefined, -b[j]!, Number.POSITIVE_INFINITY);
    } else pushUnitRow(rows, A, n, j, 1, undefined, Number.NEGATIVE_INFINITY, -b[j]!);
  });
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(Number.POSITIVE_INFINITY);
  colLower.set(lo);
  colUpper.set(hi);
  const solution = await solveLp(
    {
      numCols,
      colLower,
      colUpper,
      colCost,
      offset,
      ...packRows(rows),
    },
    { timeLimitSeconds, presolve: false },
  );
  if (solution.status !== 'optimal') return undefined;
  // The Lagrangian's parameters (see SubsetNodeState): no groups, ρ per negative unit, η per positive.
  const theta = new Float64Array(negative.length + positive.length);
  negative.forEach((j, k) => {
    const alpha = Math.min(1, Math.abs(solution.rowDual[k]!) / Math.abs(c[j]!));
    theta[k] = Math.asin(2 * alpha - 1);
  });
  positive.forEach((_, p) => {
    theta[negative.length + p] = Math.sqrt(Math.abs(solution.rowDual[negative.length + p]!));
  });
  const bound = dualEvaluator(problem, { phase: node.phase, groups: [], theta }).evaluate(
    theta,
    undefined,
    0,
  );
  return { x: solution.x.slice(0, n), bound };
}
