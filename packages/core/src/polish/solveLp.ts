import highsModule, { type Highs } from 'highs';
import type { LinearProgram } from './regionLp.ts';

// TypeScript reads highs' CommonJS typings (the loader under `.default`); Node loads its ESM build,
// whose default export is the loader itself. Accept either.
const highsLoader = ((highsModule as { default?: unknown }).default ??
  highsModule) as typeof highsModule.default;

let highs: Promise<Highs> | undefined;

/** HiGHS compiled to WebAssembly, loaded once per process (compiling the module costs ~100 ms). */
export function loadHighs(): Promise<Highs> {
  highs ??= highsLoader();
  return highs;
}

export interface LpSolution {
  status: 'optimal' | 'infeasible' | 'unbounded' | 'time-limit' | 'failed';
  /** Column values (meaningful for 'optimal', and for 'time-limit' when `feasible`). */
  x: Float64Array;
  /** Whether `x` is a feasible point (a MILP stopped by its time limit may still have one). */
  feasible: boolean;
  rowValue: Float64Array;
  rowDual: Float64Array;
  objective: number;
}

export interface SolveOptions {
  timeLimitSeconds?: number;
  /** Column indices that must take integer values (turns the LP into a MILP). */
  integers?: ArrayLike<number>;
  /** MILP only: stop at this relative gap (HiGHS default 1e-4). */
  mipRelGap?: number;
  /** Every column's value at a known feasible point: the incumbent a MILP starts from. */
  start?: Float64Array;
}

/** Maximises `lp` with HiGHS; never throws for infeasible/unbounded problems, only reports them. */
export async function solveLp(lp: LinearProgram, options: SolveOptions = {}): Promise<LpSolution> {
  const solver = await loadHighs();
  const integrality = options.integers ? new Int32Array(lp.numCols) : undefined;
  if (integrality && options.integers) for (const i of Array.from(options.integers)) integrality[i] = 1;
  const model = solver.createModel({
    numCols: lp.numCols,
    numRows: lp.numRows,
    sense: solver.constants.objectiveSense.maximize,
    offset: lp.offset,
    colCost: lp.colCost,
    colLower: lp.colLower,
    colUpper: lp.colUpper,
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    matrix: {
      format: 'csr',
      numRows: lp.numRows,
      numCols: lp.numCols,
      starts: lp.starts,
      indices: lp.indices,
      values: lp.values,
    },
    ...(integrality ? { integrality } : {}),
  });
  try {
    model.options.set({
      output_flag: false,
      ...(options.timeLimitSeconds !== undefined && Number.isFinite(options.timeLimitSeconds)
        ? { time_limit: Math.max(options.timeLimitSeconds, 1e-3) }
        : {}),
      ...(options.mipRelGap !== undefined ? { mip_rel_gap: options.mipRelGap } : {}),
    });
    if (options.start) model.setSolution({ colValue: options.start });
    const { modelStatus } = model.run();
    const codes = solver.constants.modelStatus;
    const status: LpSolution['status'] =
      modelStatus === codes.optimal
        ? 'optimal'
        : modelStatus === codes.infeasible
          ? 'infeasible'
          : modelStatus === codes.unbounded || modelStatus === codes.unboundedOrInfeasible
            ? 'unbounded'
            : modelStatus === codes.timeLimit
              ? 'time-limit'
              : 'failed';
    const solution = model.getSolution();
    return {
      status,
      feasible: model.info.get('primal_solution_status') === solver.constants.solutionStatus.feasible,
      x: solution.colValue,
      rowValue: solution.rowValue,
      rowDual: solution.rowDual,
      objective: model.getObjectiveValue(),
    };
  } finally {
    model.dispose();
  }
}
