import type { Storage } from '@argmax/db';
import type { ServerConfig } from './config.ts';
import type { ExecutionContext } from './jobs/executionContext.ts';
import { followCancellations } from './jobs/followCancellations.ts';
import { type LocalExecutors, localExecutors } from './jobs/jobDispatch.ts';
import type { WorkerPool } from './jobs/workerPool.ts';
import type { Metrics } from './observability/metrics.ts';
import type { EventBus } from './pubsub/eventBus.ts';
import { runExecutor } from './runs/runExecutor.ts';
import { trainingExecutor } from './training/trainingExecutor.ts';

/** What a process that executes jobs has opened: the executors are built from these. */
export interface ExecutingProcess {
  storage: Storage;
  pool: WorkerPool;
  bus: EventBus;
  config: ServerConfig;
  /** The tfjs backend this process initialised. */
  backend: string;
  metrics: Metrics;
}

export interface JobExecutors {
  executors: LocalExecutors;
  /** Stops following cancellations (the executors themselves stop with `executor.stop()`). */
  stopFollowing(): Promise<void>;
}

/**
 * This process's executor of each kind of job, the same in an API server (in-process) and a worker
 * process, following the cancellations any process asks for.
 */
export function startJobExecutors({
  storage,
  pool,
  bus,
  config,
  backend,
  metrics,
}: ExecutingProcess): JobExecutors {
  const execution: ExecutionContext = {
    storage,
    pool,
    bus,
    config,
    backend: () => backend,
    workerId: config.workerId,
    onStep: () => metrics.countStep(),
  };
  const executors = localExecutors(runExecutor(execution), trainingExecutor(execution));
  return { executors, stopFollowing: followCancellations(bus, executors) };
}
