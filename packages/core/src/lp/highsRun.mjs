// The one place that drives HiGHS: builds a maximising model, sets its options, runs it and reads the
// answer back. solveLp uses it both in its worker thread (hard deadline) and in process (progress
// callbacks, stop flag). Plain JavaScript so the worker thread loads it without a TypeScript loader.

/**
 * Maximises `lp` (CSR rows) once. `integrality` marks integer columns (a MILP); `presolve` undefined
 * leaves HiGHS's default; `callbacks` go to `model.run`. Never throws for infeasible or stopped
 * solves: `status` says what happened.
 */
export function runMaximize(highs, lp, options, callbacks) {
  const model = highs.createModel({
    numCols: lp.numCols,
    numRows: lp.numRows,
    sense: highs.constants.objectiveSense.maximize,
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
    ...(options.integrality ? { integrality: options.integrality } : {}),
  });
  try {
    model.options.set({
      output_flag: false,
      ...(options.presolve !== undefined ? { presolve: options.presolve ? 'on' : 'off' } : {}),
      ...(options.timeLimitSeconds !== undefined ? { time_limit: options.timeLimitSeconds } : {}),
      ...(options.mipRelGap !== undefined ? { mip_rel_gap: options.mipRelGap } : {}),
    });
    if (options.start) model.setSolution({ colValue: options.start });
    const { modelStatus } = model.run(callbacks);
    const codes = highs.constants.modelStatus;
    const solution = model.getSolution();
    return {
      status:
        modelStatus === codes.optimal
          ? 'optimal'
          : modelStatus === codes.infeasible
            ? 'infeasible'
            : modelStatus === codes.unbounded || modelStatus === codes.unboundedOrInfeasible
              ? 'unbounded'
              : modelStatus === codes.timeLimit
                ? 'time-limit'
                : modelStatus === codes.interrupted
                  ? 'interrupted'
                  : 'failed',
      feasible: model.info.get('primal_solution_status') === highs.constants.solutionStatus.feasible,
      x: solution.colValue,
      rowValue: solution.rowValue,
      rowDual: solution.rowDual,
      objective: model.getObjectiveValue(),
      mipDualBound: options.integrality ? Number(model.info.get('mip_dual_bound')) : Number.NaN,
    };
  } finally {
    model.dispose();
  }
}
