import type { Run } from '@argmax/db/repositories/runs';
import type { TrainingJob } from '@argmax/db/repositories/trainingJobs';

/**
 * What the job machinery needs of a domain's executor (runs/runExecutor.ts, training/trainingExecutor.ts):
 * the domains register theirs with the dispatch, which knows them by this shape only.
 */
export interface JobExecutor<Stored> {
  /** Executes a stored QUEUED job; resolves once its outcome is stored and published (never rejects). */
  execute(job: Stored): Promise<void>;
  /** Whether this process is executing (or about to execute) the job. */
  has(id: string): boolean;
  /** Cancels a job executing (or waiting) here; false when this process does not have it. */
  cancel(id: string): boolean;
  /** Before the pool stops: jobs still waiting for a slot stay QUEUED. */
  stop(): void;
}

/** This process's executors, when jobs execute here. */
export interface LocalExecutors {
  runs: JobExecutor<Run> & {
    /** Stores buffered steps so a late joiner reading storage sees everything published so far. */
    flush(id: string): Promise<void>;
  };
  training: JobExecutor<TrainingJob>;
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
