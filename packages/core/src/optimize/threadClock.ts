import { readFileSync } from 'node:fs';

/**
 * Seconds this thread has run on a CPU (Linux: /proc/thread-self/schedstat, in nanoseconds), or
 * undefined where that cannot be read. Not the process's CPU time: the server runs several jobs'
 * threads in one process.
 */
function threadCpuSeconds(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return undefined;
  }
}

/**
 * The clock a step's cost is measured on: this thread's CPU time where the system gives it, so a
 * busy machine (other processes taking turns on the cores) measures the same cost, and so chooses
 * the same starts and steps, as an idle one; else wall time.
 */
export function stepClock(): () => number {
  if (threadCpuSeconds() !== undefined) return () => threadCpuSeconds()!;
  return () => performance.now() / 1000;
}
