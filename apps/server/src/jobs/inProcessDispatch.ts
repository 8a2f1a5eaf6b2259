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
    submit: async (kind, id) => {
      const executor = local.get(kind);
      if (!executor) throw new Error(`no executor for ${kind} jobs`);
      executor.take(id).catch((error) => log(`${kind} ${id}: ${error}`));
    },
    depth: async () => ({ waiting: pool.queued, active: pool.running }),
    ping: async () => {},
    close: async () => {},
  };
}
