import type { JobDispatch, LocalExecutors } from './jobDispatch.ts';
import type { WorkerPool } from './workerPool.ts';

/** The embedded default: jobs execute on this server's worker-thread pool, queued in memory beyond its size. */
export function inProcessDispatch(
  local: LocalExecutors,
  pool: WorkerPool,
  log: (line: string) => void,
): JobDispatch {
  return {
    kind: 'in-process',
    local,
    run: async (run) => {
      local.runs.execute(run).catch((error) => log(`run ${run.id}: ${error}`));
    },
    training: async (job) => {
      local.training.execute(job).catch((error) => log(`training ${job.id}: ${error}`));
    },
    depth: async () => ({ waiting: pool.queued, active: pool.running }),
    ping: async () => {},
    close: async () => {},
  };
}
