import highsModule, { type Highs } from 'highs';
import { runMaximize } from './highsRun.mjs';
import { integralityOf, type LinearProgram } from './linearProgram.ts';

// TypeScript reads highs' CommonJS typings (the loader under `.default`); Node loads its ESM build,
// whose default export is the loader itself. Accept either.
const highsLoader = ((highsModule as { default?: unknown }).default ??
  highsModule) as typeof highsModule.default;

let highs: Promise<Highs> | undefined;

/** HiGHS compiled to WebAssembly, loaded once per process (compiling the module costs ~100 ms). */
function loadHighs(): Promise<Highs> {
  highs ??= highsLoader();
  return highs;
}

export interface HighsProgress {
  /** Best proven bound on the maximum (MILP dual bound). */
  bound: number;
  /** Best feasible objective found so far (−∞ before the first). */
  incumbent: number;
  seconds: number;
}

export interface HighsRunOptions {
  integers?: ArrayLike<number>;
  /** Absolute time (performance.now()) to stop at. */
  deadline: number;
  /** Called from inside the solve whenever HiGHS reports MILP progress. */
  onProgress?: (progress: HighsProgress) => void;
  /** Polled from inside the solve; true stops it. */
  shouldStop?: () => boolean;
  /** Every column's value at a known feasible point (MIP start). */
  start?: Float64Array;
  /** Stop when the relative gap is at most this (HiGHS's default 1e-4). */
  mipRelGap?: number;
  /** HiGHS presolve: off by default (it is slow on the dense rows of input layers). */
  presolve?: boolean;
}

export interface HighsOutcome {
  status: 'optimal' | 'infeasible' | 'stopped' | 'failed';
  /** An upper bound on the maximum (the optimum when 'optimal'); +∞ when none is known. */
  bound: number;
  /** The best feasible objective and its columns, when one was found. */
  objective: number;
  x?: Float64Array;
  seconds: number;
}

/**
 * Maximises `lp` (with `integers` a MILP) with HiGHS under a deadline, reporting the bound as it
 * improves. Never throws for infeasible or stopped solves: reports them. The bound of a stopped MILP is
 * HiGHS's dual bound; that of an LP stopped early is unknown (+∞).
 */
export async function runHighs(lp: LinearProgram, options: HighsRunOptions): Promise<HighsOutcome> {
  const started = performance.now();
  const highs = await loadHighs();
  const isMip = (options.integers?.length ?? 0) > 0;
  let bound = Number.POSITIVE_INFINITY;
  let incumbent = Number.NEGATIVE_INFINITY;
  const types = highs.constants.callbackType;
  const report = (data: { mip_dual_bound?: number; mip_primal_bound?: number }) => {
    const b = data.mip_dual_bound;
    const v = data.mip_primal_bound;
    if (typeof v === 'number' && Number.isFinite(v)) incumbent = Math.max(incumbent, v);
    if (typeof b === 'number' && Number.isFinite(b) && b < bound) {
      bound = b;
      options.onProgress?.({ bound, incumbent, seconds: (performance.now() - started) / 1000 });
    }
  };
  const stop = () => options.shouldStop?.() === true || performance.now() > options.deadline;
  const run = runMaximize(
    highs,
    lp,
    {
      integrality: isMip ? integralityOf(lp.numCols, options.integers!) : undefined,
      timeLimitSeconds: Math.max(1e-3, (options.deadline - performance.now()) / 1000),
      presolve: options.presolve === true,
      mipRelGap: options.mipRelGap,
      start: isMip ? options.start : undefined,
    },
    isMip
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
  const objective = run.feasible ? run.objective : Number.NEGATIVE_INFINITY;
  const elapsed = (performance.now() - started) / 1000;
  if (run.status === 'optimal') {
    const dual = isMip ? run.mipDualBound : objective;
    return {
      status: 'optimal',
      bound: Number.isFinite(dual) ? Math.max(dual, objective) : objective,
      objective,
      x: run.x,
      seconds: elapsed,
    };
  }
  if (run.status === 'infeasible') {
    return { status: 'infeasible', bound: Number.NEGATIVE_INFINITY, objective, seconds: elapsed };
  }
  if (isMip && Number.isFinite(run.mipDualBound)) bound = Math.min(bound, run.mipDualBound);
  const stopped = run.status === 'time-limit' || run.status === 'interrupted';
  return {
    status: stopped ? 'stopped' : 'failed',
    bound: isMip ? bound : Number.POSITIVE_INFINITY,
    objective,
    ...(run.feasible ? { x: run.x } : {}),
    seconds: elapsed,
  };
}
