import { isFinalStatus } from '@argmax/db';
import { limitExceeded } from '../errors.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import type { JobDispatch } from './jobDispatch.ts';
import { endJob, type JobKind, type StoredJob, writeOnce } from './jobKind.ts';

/** How long a cancel waits for the process executing the job to record it before recording it itself. */
const CANCEL_GRACE_MS = 3000;

/** The per-user limit on a kind's active (QUEUED or RUNNING) jobs. */
export interface ActiveJobLimit {
  /** The setting's name, in the LIMIT_EXCEEDED error. */
  name: string;
  max: number;
  /** What the user is told, given how many they have active. */
  explain(active: number, max: number): string;
}

/**
 * The dispatch half of one kind of job, the same for every kind: checks the per-user limit, hands each
 * stored QUEUED job to the dispatch (this server's pool or the distributed queue), cancels wherever the
 * job executes, and at start-up interrupts or hands out again what a previous process left. Each domain's
 * service extends it with how it creates its jobs.
 */
export class JobService<Stored extends StoredJob> {
  constructor(
    protected readonly kind: JobKind<Stored>,
    protected readonly dispatch: JobDispatch,
    private readonly bus: EventBus,
    private readonly limit: ActiveJobLimit,
    /** Recorded on jobs a restart interrupted. */
    private readonly restartError: string,
  ) {}

  /** Checks the creator's limit, stores the job (`create`) and hands it to the dispatch. */
  protected async submit(creatorId: string, create: () => Promise<Stored>): Promise<Stored> {
    const active = await this.kind.rows.countActiveByCreator(creatorId);
    if (active >= this.limit.max)
      throw limitExceeded(this.limit.name, this.limit.explain(active, this.limit.max));
    const job = await create();
    await this.dispatch.submit(this.kind.name, job.id);
    return job;
  }

  /** Cancels `job` unless it has already ended; returns the job as stored now (the cancel mutations' answer). */
  async cancelUnlessEnded(job: Stored): Promise<Stored> {
    if (!isFinalStatus(job.status)) await this.cancel(job.id);
    return (await this.kind.rows.get(job.id)) ?? job;
  }

  async cancel(id: string): Promise<void> {
    if (this.local?.cancel(id)) return;
    // Executing elsewhere (a worker process, another server): whoever has it stops and records it.
    this.bus.publish('cancel', { kind: this.kind.name, id });
    const deadline = Date.now() + CANCEL_GRACE_MS;
    let job = await this.kind.rows.get(id);
    while (job?.status === 'RUNNING' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await this.kind.rows.get(id);
    }
    if (!job || isFinalStatus(job.status)) return;
    // Not started anywhere yet, or its executor is gone: recorded here.
    await endJob(this.kind, id, { status: 'CANCELLED' });
  }

  /** Stores buffered progress so a late joiner reading storage sees everything published so far. */
  async flush(id: string): Promise<void> {
    await this.local?.flush(id);
  }

  /**
   * At start-up, on the embedded database (one process owns it): jobs left RUNNING by a previous process
   * cannot resume and become INTERRUPTED; jobs still QUEUED are dispatched again.
   */
  async recover(): Promise<string[]> {
    const error = this.restartError;
    const interrupted = await this.kind.rows.interruptRunning({ error });
    for (const id of interrupted) await this.kind.ended({ id, status: 'INTERRUPTED', error }, writeOnce);
    await this.resubmitQueued();
    return interrupted;
  }

  /** Hands every QUEUED job to the dispatch again, oldest first (a distributed queue ignores duplicates). */
  async resubmitQueued(): Promise<number> {
    const queued = await this.kind.rows.listQueued();
    for (const job of queued) await this.dispatch.submit(this.kind.name, job.id);
    return queued.length;
  }

  private get local() {
    return this.dispatch.local?.get(this.kind.name);
  }
}
