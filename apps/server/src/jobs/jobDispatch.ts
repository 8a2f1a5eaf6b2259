import type { Run } from '@argmax/db/repositories/runs';
import type { TrainingJob } from '@argmax/db/repositories/trainingJobs';
import type { RunExecutor } from '../runs/runExecutor.ts';
import type { TrainingExecutor } from '../training/trainingExecutor.ts';

/** This process's executors, when jobs execute here. */
export interface LocalExecutors {
  runs: RunExecutor;
  training: TrainingExecutor;
}

/**
 * Where stored QUEUED jobs go to be executed: this server's worker pool (the default), or a distributed
 * queue drained by worker processes. The services above it never know which.
 */
export interface JobDispatch {
  readonly kind: 'in-process' | 'redis';
  /** Hands a stored QUEUED run to whoever executes it; resolves once handed over, not when the run ends. */
  run(run: Run): Promise<void>;
  training(job: TrainingJob): Promise<void>;
  /** Jobs waiting for an executor and jobs executing, as far as this process can tell (for /metrics). */
  depth(): Promise<{ waiting: number; active: number }>;
  /** Throws when the queue cannot be reached (for /readyz). */
  ping(): Promise<void>;
  /** Set when jobs execute in this process (in-process); null with a distributed queue. */
  readonly local: LocalExecutors | null;
  close(): Promise<void>;
}
