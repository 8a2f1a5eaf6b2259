import type { JobOutcome, JobRepository, JobStatus } from '@argmax/db';

/** A stored job as the job machinery reads it: runs and training jobs both are. */
export interface StoredJob {
  id: string;
  status: JobStatus;
  error: string | null;
  workerId: string | null;
}

/** How storage writes are made: an executor waits out a database outage, a request writes once. */
export type StorageWrite = <T>(what: string, write: () => Promise<T>) => Promise<T>;

export const writeOnce: StorageWrite = (_what, write) => write();

/**
 * One kind of job (runs, training jobs) as the job machinery knows it: its rows (the lifecycle db shares
 * between them), and how its status changes are published. Each domain describes its own, so `jobs/` names
 * none of them.
 */
export interface JobKind<Stored extends StoredJob> {
  /** Names the kind in queue entries, cancellations and log lines (`run`, `training`). */
  readonly name: string;
  readonly rows: JobRepository<Stored, JobOutcome>;
  /** Publishes that the job started (RUNNING). */
  publishStarted(id: string): void;
  /**
   * After its final status is stored: closes what the domain keeps open beside the job (a run's
   * certificate), then publishes the end, which ends every stream of the job.
   */
  ended(job: Pick<StoredJob, 'id' | 'status' | 'error'>, write: StorageWrite): Promise<void>;
}

/**
 * Records a job's end (QUEUED | RUNNING → final) and publishes it; every way a job ends goes through here.
 * Null, with nothing published, when the job had already ended.
 */
export async function endJob<Stored extends StoredJob>(
  kind: JobKind<Stored>,
  id: string,
  outcome: JobOutcome,
  write: StorageWrite = writeOnce,
): Promise<Stored | null> {
  const job = await write(`${kind.name} ${id}: recording its outcome`, () => kind.rows.finish(id, outcome));
  if (job) await kind.ended(job, write);
  return job;
}
