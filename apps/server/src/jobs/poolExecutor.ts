import type { JobOutcome } from '@argmax/db';
import type { ExecutionContext } from './executionContext.ts';
import type { JobExecutor } from './jobDispatch.ts';
import { endJob, type JobKind, type StorageWrite, type StoredJob } from './jobKind.ts';
import type { Job, TrainedModel } from './thread/jobMessages.ts';
import { waitingWrites } from './untilStorageAnswers.ts';
import { JobFailedError, type JobHandle, type JobHandlers } from './workerPool.ts';

/** An event a job's thread sends (see jobs/thread/jobMessages.ts). */
export type JobEvent = Parameters<JobHandlers['onEvent']>[0];

/**
 * What a domain adds to execute one kind of job on the pool: the thread's job, what its events build
 * (`State`), the columns of its claim and of its outcome. `PoolExecutor` does the rest, the same for every
 * kind: the claim that only one executor wins, cancellation, failures, the stored and published end.
 */
export interface JobSteps<Stored extends StoredJob, State> {
  readonly kind: JobKind<Stored>;
  /** The thread's job and the state its events build; an outcome instead when it cannot execute at all. */
  prepare(job: Stored): Promise<{ job: Job; state: State } | { outcome: JobOutcome }>;
  /** QUEUED → RUNNING with this process's columns; null when it is no longer QUEUED. */
  claim(job: Stored, state: State, write: StorageWrite): Promise<Stored | null>;
  /** Once the claim is stored: what waited for it (buffered steps and messages). */
  claimed?(job: Stored, state: State): void;
  /** An event of the thread, until the job is known to be another executor's. */
  onEvent(job: Stored, state: State, event: JobEvent): void;
  onTrained?(state: State, model: TrainedModel): void;
  /** Stores what the events left buffered (no state: the job is not executing here). */
  flush(id: string, state: State | undefined): Promise<void>;
  /** The outcome of a job whose thread ended without error; null when it left no result. */
  succeeded(job: Stored, state: State): Promise<JobOutcome | null>;
  /** A failed or cancelled job's outcome: `failure`, with what the domain keeps of it. */
  failed(state: State, failure: JobOutcome): JobOutcome;
  /** Before the outcome is stored: what the domain finishes first (a run's certificate). */
  ending?(id: string, outcome: JobOutcome): Promise<void>;
}

interface Live<State> {
  /** Set once the pool has the job. */
  handle?: JobHandle;
  state: State;
  /**
   * Whether this executor owns the job's row. `unstarted` until the pool starts the job, then `claiming`
   * (QUEUED → RUNNING in storage), then `claimed`. `abandoned` when another executor claimed it first, or
   * it was cancelled while waiting: its row is then left alone.
   */
  claim: 'unstarted' | 'claiming' | 'claimed' | 'abandoned';
  claiming?: Promise<void>;
}

/**
 * Executes one kind of job on this process's worker pool. The same code runs inside an API server
 * (in-process pool) and inside a worker process (distributed queue).
 */
export class PoolExecutor<Stored extends StoredJob, State> implements JobExecutor {
  private readonly live = new Map<string, Live<State>>();
  private stopping = false;
  /** Storage writes of an executing job wait out a database outage. */
  private readonly write: StorageWrite;

  constructor(
    private readonly ctx: ExecutionContext,
    private readonly steps: JobSteps<Stored, State>,
  ) {
    this.write = waitingWrites(ctx.config.log);
  }

  get kind(): string {
    return this.steps.kind.name;
  }

  /** Jobs executing (or waiting for a pool slot) in this process. */
  get activeCount(): number {
    return this.live.size;
  }

  async take(id: string): Promise<string> {
    if (this.live.has(id)) return 'already executing here';
    const job = await this.steps.kind.rows.get(id);
    if (!job) return 'deleted';
    if (job.status === 'RUNNING') {
      // Back from a queue after its worker stopped renewing its lock (killed, or cut off): it cannot resume,
      // and what it recorded stays as it is.
      const reason = `the worker executing it (${job.workerId ?? 'unknown'}) stopped; what it recorded is kept`;
      await endJob(this.steps.kind, id, { status: 'INTERRUPTED', error: reason });
      this.ctx.config.log(`${this.kind} ${id}: ${reason}`);
      return 'interrupted';
    }
    if (job.status !== 'QUEUED') return `already ${job.status}`;
    await this.execute(job);
    return 'executed';
  }

  /**
   * Executes a stored QUEUED job and resolves once its outcome is stored and published (never rejects: a
   * job that cannot execute ends FAILED with the reason).
   */
  async execute(job: Stored): Promise<void> {
    const prepared = await this.steps.prepare(job);
    if ('outcome' in prepared) {
      // Shutting down stopped what it waited for (a run's prior build): it stays QUEUED for the next start.
      if (this.stopping) return;
      await endJob(this.steps.kind, job.id, prepared.outcome, this.write);
      return;
    }
    const live: Live<State> = { state: prepared.state, claim: 'unstarted' };
    this.live.set(job.id, live);
    const handle = this.ctx.pool.submit(prepared.job, {
      onStart: () => {
        live.claim = 'claiming';
        live.claiming = this.claim(job, live).catch((error) => {
          this.ctx.config.log(`${this.kind} ${job.id}: could not record its start: ${error}`);
          live.claim = 'abandoned';
          live.handle?.cancel();
        });
      },
      onEvent: (event) => {
        if (live.claim !== 'abandoned') this.steps.onEvent(job, live.state, event);
      },
      onTrained: (model) => this.steps.onTrained?.(live.state, model),
    });
    live.handle = handle;
    await handle.done.then(
      () => this.settle(job, live),
      (error: Error) => this.settle(job, live, error),
    );
  }

  /** Before the pool stops: jobs still waiting for a slot stay QUEUED instead of becoming CANCELLED. */
  stop(): void {
    this.stopping = true;
  }

  has(id: string): boolean {
    return this.live.has(id);
  }

  cancel(id: string): boolean {
    const live = this.live.get(id);
    live?.handle?.cancel();
    return live !== undefined;
  }

  async flush(id: string): Promise<void> {
    await this.steps.flush(id, this.live.get(id)?.state);
  }

  /** Claims the job (QUEUED → RUNNING, with this worker's id) as its thread starts. */
  private async claim(job: Stored, live: Live<State>): Promise<void> {
    if (await this.steps.claim(job, live.state, this.write)) {
      live.claim = 'claimed';
      this.steps.claimed?.(job, live.state);
      this.steps.kind.publishStarted(job.id);
      return;
    }
    // No longer QUEUED: cancelled while it waited, or claimed by another executor. Stop without a trace.
    live.claim = 'abandoned';
    live.handle?.cancel();
  }

  private async settle(job: Stored, live: Live<State>, error?: Error): Promise<void> {
    await live.claiming;
    if (live.claim === 'abandoned' || (live.claim === 'unstarted' && this.stopping)) {
      // Not this executor's row (or, shutting down, a job that never started stays QUEUED for the next start).
      this.live.delete(job.id);
      return;
    }
    try {
      await this.steps.flush(job.id, live.state);
      const outcome =
        (!error && (await this.succeeded(job, live.state))) ||
        this.steps.failed(live.state, this.failure(job.id, error));
      await this.steps.ending?.(job.id, outcome);
      await endJob(this.steps.kind, job.id, outcome, this.write);
    } finally {
      // Only now: until its row is final, a duplicate of its queue job must find it executing here.
      this.live.delete(job.id);
    }
  }

  private async succeeded(job: Stored, state: State): Promise<JobOutcome | null> {
    try {
      return await this.steps.succeeded(job, state);
    } catch (error) {
      return this.steps.failed(state, this.failure(job.id, error as Error));
    }
  }

  /** CANCELLED, or FAILED with a reason for the user (a job's own error) or a reference to the log. */
  private failure(id: string, error: Error | undefined): JobOutcome {
    if (error instanceof JobFailedError && error.errorName === 'CancelledError')
      return { status: 'CANCELLED' };
    if (error instanceof JobFailedError && error.expected) return { status: 'FAILED', error: error.message };
    const reference = crypto.randomUUID();
    this.ctx.config.log(
      `${this.kind} ${id} failed unexpectedly (${reference}): ${error?.stack ?? 'the job ended without a result'}`,
    );
    return {
      status: 'FAILED',
      error: `internal error while executing the ${this.kind} (reference ${reference})`,
    };
  }
}
