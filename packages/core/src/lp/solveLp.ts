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
export function solveLp(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
  const integrality = options.integers ? integralityOf(lp.numCols, options.integers) : undefined;
  const limit = options.timeLimitSeconds;
  return solveInWorker(lp, {
    ...(limit !== undefined && Number.isFinite(limit) ? { timeLimitSeconds: Math.max(limit, 1e-3) } : {}),
    ...(options.graceSeconds !== undefined ? { graceSeconds: options.graceSeconds } : {}),
    ...(options.mipRelGap !== undefined ? { mipRelGap: options.mipRelGap } : {}),
    ...(options.start ? { start: options.start } : {}),
    ...(options.presolve === false ? { presolve: false } : {}),
    ...(integrality ? { integrality } : {}),
  });
}
