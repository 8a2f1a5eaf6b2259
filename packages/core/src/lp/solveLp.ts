import { solveInWorker } from './highsWorkerClient.ts';
import { integralityOf, type LinearProgram, type LpSolution } from './linearProgram.ts';

export interface SolveOptions {
  timeLimitSeconds?: number;
  /**
   * How long past `timeLimitSeconds` the solve may run before its thread is ended (default 25 ms). A
   * MILP that stops at its own limit reports its incumbent; one that is ended reports nothing.
   */
  graceSeconds?: number;
  /** Column indices that must take integer values (turns the LP into a MILP). */
  integers?: ArrayLike<number>;
  /** MILP only: stop at this relative gap (HiGHS default 1e-4). */
  mipRelGap?: number;
  /** Every column's value at a known feasible point: the incumbent a MILP starts from. */
  start?: Float64Array;
  /**
   * false: skip HiGHS's presolve. The polish's LPs (dense rows over the inputs) leave it nothing to
   * remove; skipping it halved a cold region LP on the seed MLP (100 → 50 ms) and saved 25–40 % warm.
   */
  presolve?: boolean;
}

/**
 * Maximises `lp` with HiGHS; never throws for infeasible/unbounded problems, only reports them. Runs
 * in a worker thread (see highsWorker.mjs) so the time limit is a hard one: a solve still running
 * shortly after it is stopped, and reported as 'time-limit' with no feasible point.
 */
export async function solveLp(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
  const integrality = options.integers ? integralityOf(lp.numCols, options.integers) : undefined;
  const limit = options.timeLimitSeconds;
  const solution = await solveInWorker(lp, {
    ...(limit !== undefined && Number.isFinite(limit) ? { timeLimitSeconds: Math.max(limit, 1e-3) } : {}),
    ...(options.graceSeconds !== undefined ? { graceSeconds: options.graceSeconds } : {}),
    ...(options.mipRelGap !== undefined ? { mipRelGap: options.mipRelGap } : {}),
    ...(options.start ? { start: options.start } : {}),
    ...(options.presolve === false ? { presolve: false } : {}),
    ...(integrality ? { integrality } : {}),
  });
  // A limit can pass before HiGHS has taken the start in (a loaded machine, a short limit): the start is
  // still a feasible point the caller vouched for, so a stopped solve keeps it once checked here.
  if (solution.status === 'time-limit' && !solution.feasible && options.start)
    return startAsIncumbent(lp, options.start, options.integers, solution);
  return solution;
}

const FEASIBILITY_TOLERANCE = 1e-7;

function startAsIncumbent(
  lp: LinearProgram,
  start: Float64Array,
  integers: ArrayLike<number> | undefined,
  stopped: LpSolution,
): LpSolution {
  const tol = (bound: number) => FEASIBILITY_TOLERANCE * Math.max(1, Math.abs(bound));
  for (let j = 0; j < lp.numCols; j++) {
    const v = start[j]!;
    if (!(v >= lp.colLower[j]! - tol(lp.colLower[j]!) && v <= lp.colUpper[j]! + tol(lp.colUpper[j]!)))
      return stopped;
  }
  for (let i = 0; i < (integers?.length ?? 0); i++) {
    const v = start[integers![i]!]!;
    if (Math.abs(v - Math.round(v)) > FEASIBILITY_TOLERANCE) return stopped;
  }
  const rowValue = new Float64Array(lp.numRows);
  for (let r = 0; r < lp.numRows; r++) {
    let sum = 0;
    for (let k = lp.starts[r]!; k < lp.starts[r + 1]!; k++) sum += lp.values[k]! * start[lp.indices[k]!]!;
    if (!(sum >= lp.rowLower[r]! - tol(lp.rowLower[r]!) && sum <= lp.rowUpper[r]! + tol(lp.rowUpper[r]!)))
      return stopped;
    rowValue[r] = sum;
  }
  let objective = lp.offset;
  for (let j = 0; j < lp.numCols; j++) objective += lp.colCost[j]! * start[j]!;
  return { ...stopped, x: Float64Array.from(start), feasible: true, rowValue, objective };
}
