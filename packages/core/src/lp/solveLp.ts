import highsModule, { type Highs } from 'highs';
import { type HighsRun, type HighsRunSettings, runMaximize } from './highsRun.mjs';
import { solveInWorker } from './highsWorkerClient.ts';
import { integralityOf, type LinearProgram, type LpSolution } from './linearProgram.ts';

export { prewarmSolver, solverReady } from './highsWorkerClient.ts';

export interface HighsProgress {
  /** Best proven bound on the maximum (MILP dual bound). */
  bound: number;
  /** Best feasible objective found so far (−∞ before the first). */
  incumbent: number;
  seconds: number;
}

export interface SolveOptions {
  /** How long the solve may take; none: no limit. */
  timeLimitSeconds?: number;
  /** Column indices that must take integer values (turns the LP into a MILP). */
  integers?: ArrayLike<number>;
  /** MILP only: stop at this relative gap (HiGHS default 1e-4). */
  mipRelGap?: number;
  /** Every column's value at a known feasible point: the incumbent a MILP starts from. */
  start?: Float64Array;
  /**
   * false: skip HiGHS's presolve; undefined: HiGHS's default. The LPs over dense input rows leave
   * it nothing to remove: skipping it halved a cold region LP on the seed MLP (100 → 50 ms) and saved
   * 25–40 % warm.
   */
  presolve?: boolean;
  /**
   * Where HiGHS runs. Without this, in the solver's worker thread, ended `graceSeconds` past the limit
   * (default 25 ms): the only hard limit, since HiGHS checks its own only between phases (a root LP ran
   * 2.8 s past a 0.05 s limit). A MILP that stops at its own limit reports its incumbent; one that is
   * ended reports nothing. With it, on this thread: HiGHS reports MILP progress and polls `shouldStop`
   * (and the limit) from inside the solve, so the caller's flag stops it, at HiGHS's next check.
   */
  inProcess?: {
    /** Called from inside the solve whenever HiGHS improves its MILP bound. */
    onProgress?: (progress: HighsProgress) => void;
    /** Polled from inside the solve; true stops it ('interrupted'). */
    shouldStop?: () => boolean;
  };
  /** In the worker thread: how long past `timeLimitSeconds` it may run before it is ended. */
  graceSeconds?: number;
}

/**
 * Maximises `lp` with HiGHS (with `integers`, a MILP), the one way this package solves an LP. Never
 * throws for infeasible, unbounded or stopped solves: `status` says which, `bound` what is proven.
 */
export async function solveLp(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
  const limit = options.timeLimitSeconds;
  const settings: HighsRunSettings = {
    ...(limit !== undefined && Number.isFinite(limit) ? { timeLimitSeconds: Math.max(limit, 1e-3) } : {}),
    ...(options.mipRelGap !== undefined ? { mipRelGap: options.mipRelGap } : {}),
    ...(options.start ? { start: options.start } : {}),
    ...(options.presolve !== undefined ? { presolve: options.presolve } : {}),
    ...(options.integers?.length ? { integrality: integralityOf(lp.numCols, options.integers) } : {}),
  };
  const { run, progressBound } = options.inProcess
    ? await solveInProcess(lp, settings, options.inProcess)
    : {
        run: await solveInWorker(lp, {
          ...settings,
          ...(options.graceSeconds !== undefined ? { graceSeconds: options.graceSeconds } : {}),
        }),
        progressBound: Number.POSITIVE_INFINITY,
      };
  const { status, x, feasible, rowValue, rowDual, objective } = run;
  const bound = upperBound(run, settings.integrality !== undefined, progressBound);
  const solution: LpSolution = { status, x, feasible, rowValue, rowDual, objective, bound };
  // A limit can pass before HiGHS has taken the start in (a loaded machine, a short limit): the start is
  // still a feasible point the caller vouched for, so a stopped solve keeps it once checked here.
  if (solution.status === 'time-limit' && !solution.feasible && options.start)
    return startAsIncumbent(lp, options.start, options.integers, solution);
  return solution;
}

/**
 * What the solve proves about the maximum: the optimum when optimal, −∞ when infeasible, a MILP's dual
 * bound (the best HiGHS reported on the way, or its last) when stopped, otherwise +∞ (unknown).
 */
function upperBound(run: HighsRun, isMip: boolean, progressBound: number): number {
  const objective = run.feasible ? run.objective : Number.NEGATIVE_INFINITY;
  if (run.status === 'optimal') {
    const dual = isMip ? run.mipDualBound : objective;
    return Number.isFinite(dual) ? Math.max(dual, objective) : objective;
  }
  if (run.status === 'infeasible') return Number.NEGATIVE_INFINITY;
  if (!isMip) return Number.POSITIVE_INFINITY;
  return Number.isFinite(run.mipDualBound) ? Math.min(progressBound, run.mipDualBound) : progressBound;
}

// TypeScript reads highs' CommonJS typings (the loader under `.default`); Node loads its ESM build,
// whose default export is the loader itself. Accept either.
const highsLoader = ((highsModule as { default?: unknown }).default ??
  highsModule) as typeof highsModule.default;

let highs: Promise<Highs> | undefined;

/** HiGHS compiled to WebAssembly, loaded once per process on this thread (compiling it costs ~100 ms). */
function loadHighs(): Promise<Highs> {
  highs ??= highsLoader();
  return highs;
}

/** Solves on this thread, reporting MILP progress and stopping at the caller's flag or the limit. */
async function solveInProcess(
  lp: LinearProgram,
  settings: HighsRunSettings,
  { onProgress, shouldStop }: NonNullable<SolveOptions['inProcess']>,
): Promise<{ run: HighsRun; progressBound: number }> {
  const started = performance.now();
  const deadline =
    settings.timeLimitSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : started + settings.timeLimitSeconds * 1000;
  const highs = await loadHighs();
  let bound = Number.POSITIVE_INFINITY;
  let incumbent = Number.NEGATIVE_INFINITY;
  let flagged = false;
  const report = (data: { mip_dual_bound?: number; mip_primal_bound?: number }) => {
    const b = data.mip_dual_bound;
    const v = data.mip_primal_bound;
    if (typeof v === 'number' && Number.isFinite(v)) incumbent = Math.max(incumbent, v);
    if (typeof b === 'number' && Number.isFinite(b) && b < bound) {
      bound = b;
      onProgress?.({ bound, incumbent, seconds: (performance.now() - started) / 1000 });
    }
  };
  const stop = () => {
    flagged ||= shouldStop?.() === true;
    return flagged || performance.now() > deadline;
  };
  const types = highs.constants.callbackType;
  const run = runMaximize(
    highs,
    lp,
    {
      ...settings,
      // Loading HiGHS came out of the limit: HiGHS gets what is left of it.
      ...(settings.timeLimitSeconds !== undefined
        ? { timeLimitSeconds: Math.max(1e-3, (deadline - performance.now()) / 1000) }
        : {}),
    },
    settings.integrality
      ? {
          [types.mipInterrupt]: (event) => {
            report(event.data);
            if (stop()) event.interrupt();
            return undefined;
          },
          [types.mipImprovingSolution]: (event) => {
            report(event.data);
            return undefined;
          },
        }
      : {
          [types.simplexInterrupt]: (event) => {
            if (stop()) event.interrupt();
            return undefined;
          },
        },
  );
  // Stopped by the limit (HiGHS's own check, or ours) is 'time-limit'; by the caller's flag, 'interrupted'.
  const status = run.status === 'interrupted' && !flagged ? 'time-limit' : run.status;
  return { run: { ...run, status }, progressBound: bound };
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
