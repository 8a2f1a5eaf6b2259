import { readFileSync } from 'node:fs';

/**
 * Seconds this thread has run on a CPU (Linux: /proc/thread-self/schedstat, in nanoseconds), or
 * undefined where that cannot be read. Not the process's CPU time: the server runs several jobs'
 * threads in one process. The kernel may advance it only at its timer tick (4 ms on this project's
 * machine): it reads 0 across work shorter than that, so it is only to be trusted over longer spans.
 */
export function threadCpuSeconds(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return undefined;
  }
}

/** CPU time below this is too few timer ticks to be read as a duration. */
const trustedCpuSeconds = 0.02;

/**
 * Seconds `work` takes: the best of `rounds` wall-clock timings, or the mean of their thread CPU
 * time when that is smaller and long enough to read. Short work (a seed-MLP step, ~2 ms) fits
 * between preemptions, so its best wall time is its cost, while its CPU time reads 0 between ticks;
 * long work (a CNN step) is preempted in every round on a busy machine, so there the CPU time is the
 * cost an idle machine would measure, and a busy machine chooses the same starts and steps.
 * `onThisThread: false` (the work runs on a thread pool as well) times by the wall clock alone: this
 * thread's CPU time is then only its share. Read as the cost, it put a Keras CNN's 128-start step on
 * 2 XNNPACK threads at ~46 ms against ~135 ms taken, and the budget ran 128 × 80 uncut (12–13 s).
 */
export function timeWork(work: () => void, rounds: number, { onThisThread = true } = {}): number {
  let bestWall = Number.POSITIVE_INFINITY;
  const cpuBefore = threadCpuSeconds();
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    work();
    bestWall = Math.min(bestWall, (performance.now() - started) / 1000);
  }
  const cpuAfter = threadCpuSeconds();
  if (!onThisThread) return bestWall;
  if (cpuBefore === undefined || cpuAfter === undefined) return bestWall;
  const cpu = cpuAfter - cpuBefore;
  return cpu >= trustedCpuSeconds ? Math.min(bestWall, cpu / rounds) : bestWall;
}
