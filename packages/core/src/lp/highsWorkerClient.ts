import { Worker } from 'node:worker_threads';
import type { HighsRun, HighsRunSettings } from './highsRun.mjs';
import type { LinearProgram } from './linearProgram.ts';

// solveLp's worker thread: its lifetime, its queue of solves, and its end at a solve's deadline.

export interface WorkerSolveOptions extends HighsRunSettings {
  /** How long past its limit a solve may run before its thread is ended (default 25 ms). */
  graceSeconds?: number;
}

/** How long past its own time limit a solve may run before its thread is terminated, by default. */
const defaultGraceMs = 25;

type Reply = { id: number; solution: HighsRun } | { id: number; error: string };

let worker: { thread: Worker; ready: Promise<void> } | undefined;
let nextId = 0;
// One solve at a time per process: the polish is sequential, and a queue keeps deadlines honest.
let queue: Promise<unknown> = Promise.resolve();

function ensureWorker(): { thread: Worker; ready: Promise<void> } {
  if (!worker) {
    const thread = new Worker(new URL('./highsWorker.mjs', import.meta.url));
    // An idle solver thread must not keep a CLI or test process alive.
    thread.unref();
    const ready = new Promise<void>((resolve, reject) => {
      thread.once('message', () => resolve());
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the HiGHS worker exited (code ${code})`)));
    });
    const current = { thread, ready };
    ready.catch(() => {});
    thread.on('error', () => {
      if (worker === current) worker = undefined;
    });
    worker = current;
  }
  return worker;
}

/**
 * Starts the solver thread ahead of the first solve (loading HiGHS takes ~100 ms), so that time is
 * not taken from a solve's limit. Safe to call often.
 */
export function prewarmSolver(): void {
  ensureWorker();
}

/**
 * Resolves once the solver thread has loaded HiGHS (starting it if need be): a caller with a time
 * budget for its solves starts the clock after this one-time cost (1–3 s on a loaded machine).
 */
export async function solverReady(): Promise<void> {
  await ensureWorker().ready;
}

/** Solves `lp` in the HiGHS worker thread; terminates the thread when the time limit is overrun. */
export function solveInWorker(lp: LinearProgram, options: WorkerSolveOptions): Promise<HighsRun> {
  const run = queue.then(() => solveNow(lp, options));
  queue = run.catch(() => {});
  return run;
}

async function solveNow(lp: LinearProgram, options: WorkerSolveOptions): Promise<HighsRun> {
  const current = ensureWorker();
  await current.ready;
  const { thread } = current;
  const id = nextId++;
  return new Promise<HighsRun>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = () => {
      if (timer) clearTimeout(timer);
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
    };
    const onMessage = (reply: Reply) => {
      if (reply.id !== id) return;
      settle();
      if ('error' in reply) reject(new Error(`HiGHS failed: ${reply.error}`));
      else resolve(reply.solution);
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`the HiGHS worker exited (code ${code})`));
    };
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
    if (options.timeLimitSeconds !== undefined) {
      timer = setTimeout(
        () => {
          settle();
          if (worker === current) worker = undefined;
          void thread.terminate();
          // A replacement loads at once: under load that takes seconds, which the next solve (often
          // the next run's polish, after its gradient steps) would otherwise wait for.
          ensureWorker();
          resolve(stopped(lp));
        },
        options.timeLimitSeconds * 1000 + (options.graceSeconds ?? defaultGraceMs / 1000) * 1000,
      );
    }
    thread.postMessage({ id, lp, options });
  });
}

/** What a solve stopped at its deadline reports: no point, nothing proven. */
function stopped(lp: LinearProgram): HighsRun {
  return {
    status: 'time-limit',
    feasible: false,
    x: new Float64Array(lp.numCols),
    rowValue: new Float64Array(lp.numRows),
    rowDual: new Float64Array(lp.numRows),
    objective: Number.NaN,
    mipDualBound: Number.NaN,
  };
}
