// Worker thread that hosts HiGHS for solveLp's deadline-enforced solves. HiGHS checks its time limit only between phases: on
// the seed model a root LP ran 2.8 s past a 0.05 s limit. Solving here lets the caller stop a solve at
// a hard deadline by terminating this thread. Plain JavaScript so it loads without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import highsLoader from 'highs';
import { runMaximize } from './highsRun.mjs';

const highs = await highsLoader();
warmUp();
parentPort.postMessage({ ready: true });

parentPort.on('message', ({ id, lp, options }) => {
  try {
    parentPort.postMessage({ id, solution: solve(lp, options) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

function solve(lp, options) {
  return runMaximize(highs, lp, options);
}

/**
 * Solves one dense LP shaped like the polish's (inputs in a box, dense rows) right after loading, while
 * the caller still runs gradient steps: V8 first runs WebAssembly in baseline code, and the first
 * 784-input LP of a process took 0.2–0.4 s against 20–50 ms once the solver's code is optimised.
 */
function warmUp() {
  const cols = 400;
  const rows = 40;
  let state = 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const starts = Int32Array.from({ length: rows + 1 }, (_, r) => r * cols);
  const indices = Int32Array.from({ length: rows * cols }, (_, k) => k % cols);
  const values = Float64Array.from({ length: rows * cols }, random);
  solve(
    {
      numCols: cols,
      numRows: rows,
      colCost: Float64Array.from({ length: cols }, random),
      offset: 0,
      colLower: new Float64Array(cols),
      colUpper: new Float64Array(cols).fill(1),
      rowLower: new Float64Array(rows).fill(Number.NEGATIVE_INFINITY),
      rowUpper: new Float64Array(rows).fill(1),
      starts,
      indices,
      values,
    },
    { presolve: false },
  );
}
