/**
 * What the job machinery needs of a domain's executor: the domains register theirs (one per kind of job,
 * built on `PoolExecutor`) with the dispatch, which knows them by this shape only.
 */
export interface JobExecutor {
  /** The kind of job it executes (`JobKind.name`). */
  readonly kind: string;
  /**
   * Executes the stored job with this ID if it is QUEUED; one left RUNNING by a worker that stopped becomes
   * INTERRUPTED. Resolves, with what it did, once the outcome is stored and published.
   */
  take(id: string): Promise<string>;
  /** Whether this process is executing (or about to execute) the job. */
  has(id: string): boolean;
  /** Cancels a job executing (or waiting) here; false when this process does not have it. */
  cancel(id: string): boolean;
  /** Stores what the job's events left buffered, so a late joiner reading storage sees all published so far. */
  flush(id: string): Promise<void>;
  /** Before the pool stops: jobs still waiting for a slot stay QUEUED. */
  stop(): void;
}

/** This process's executors, by kind. */
export type LocalExecutors = ReadonlyMap<string, JobExecutor>;

/** The executors by kind, each once. */
export const localExecutors = (...executors: JobExecutor[]): LocalExecutors =>
  new Map(executors.map((executor) => [executor.kind, executor]));

/**
 * Where stored QUEUED jobs go to be executed: this server's worker pool (the default), or a distributed
 * queue drained by worker processes. The services above it never know which.
 */
export interface JobDispatch {
  readonly kind: 'in-process' | 'redis';
  /** Hands a stored QUEUED job to whoever executes it; resolves once handed over, not when the job ends. */
  submit(kind: string, id: string): Promise<void>;
  /** Jobs waiting for an executor and jobs executing, as far as this process can tell (for /metrics). */
  depth(): Promise<{ waiting: number; active: number }>;
  /** Throws when the queue cannot be reached (for /readyz). */
  ping(): Promise<void>;
  /** Set when jobs execute in this process (in-process); null with a distributed queue. */
  readonly local: LocalExecutors | null;
  close(): Promise<void>;
}
