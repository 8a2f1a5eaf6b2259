import type { ExecutionContext } from './jobs/executionContext.ts';
import { type LocalExecutors, localExecutors } from './jobs/jobDispatch.ts';
import { runExecutor } from './runs/runExecutor.ts';
import { trainingExecutor } from './training/trainingExecutor.ts';

/** This process's executor of each kind of job: the same in an API server (in-process) and a worker process. */
export const jobExecutors = (execution: ExecutionContext): LocalExecutors =>
  localExecutors(runExecutor(execution), trainingExecutor(execution));
