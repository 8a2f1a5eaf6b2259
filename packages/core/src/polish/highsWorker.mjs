// Worker thread that hosts HiGHS for solveLp. HiGHS checks its time limit only between phases: on
// the seed model a root LP ran 2.8 s past a 0.05 s limit. Solving here lets the caller stop a solve at
// a hard deadline by terminating this thread. Plain JavaScript so it loads without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import highsLoader from 'highs';
import { createMaximizeModel } from './highsModel.mjs';

const highs = await highsLoader();
const codes = highs.constants.modelStatus;
parentPort.postMessage({ ready: true });

parentPort.on('message', ({ id, lp, options }) => {
  try {
    parentPort.postMessage({ id, solution: solve(lp, options) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

function solve(lp, options) {
  const model = createMaximizeModel(highs, lp, options.integrality);
  try {
    model.options.set({
      output_flag: false,
      ...(options.timeLimitSeconds !== undefined ? { time_limit: options.timeLimitSeconds } : {}),
      ...(options.mipRelGap !== undefined ? { mip_rel_gap: options.mipRelGap } : {}),
    });
    if (options.start) model.setSolution({ colValue: options.start });
    const { modelStatus } = model.run();
    const status =
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
      feasible: model.info.get('primal_solution_status') === highs.constants.solutionStatus.feasible,
      x: solution.colValue,
      rowValue: solution.rowValue,
      rowDual: solution.rowDual,
      objective: model.getObjectiveValue(),
    };
  } finally {
    model.dispose();
  }
}
