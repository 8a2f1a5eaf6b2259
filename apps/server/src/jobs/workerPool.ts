import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DEFAULT_JOB_NICE } from '../config.ts';
import type { FromWorker, Job, ToWorker, TrainedModel } from './thread/jobMessages.ts';

export interface JobHandlers {
  onStart?(): void;
  onEvent(event: Extract<FromWorker, { type: 'event' }>['event']): void;
  onTrained?(model: TrainedModel): void;
}

export interface JobHandle {
  /** Resolves when the job ends; rejects with the worker's error (name/message kept) when it fails. */
  done: Promise<void>;
  cancel(): void;
}

export class JobFailedError extends Error {
  override name = 'JobFailedError';
  constructor(
    readonly errorName: string,
    message: string,
    /** True for ArgmaxError subclasses: a user-facing reason, not an internal bug. */
    readonly expected: boolean,
  ) {
    super(message);
  }
}

interface Pending {
  job: Job;
  handlers: JobHandlers;
  resolve(): void;
  reject(error: Error): void;
  cancelled: boolean;
}

interface Slot {
  worker: Worker;
  current?: Pending;
}

const workerEntry = new URL('./thread/jobWorkerEntry.mjs', import.meta.url);

/**
 * Runs jobs on worker threads so tfjs never blocks the event loop that serves GraphQL. At most `size`
 * jobs run at once (one per worker); the rest wait in FIFO order. A worker that crashes is replaced
 * and its job fails with the crash reason.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private stopped = false;

  constructor(
    readonly size: number = availableParallelism(),
    /** Nice value of the job threads on Linux (see ServerConfig.jobNice). */
    private readonly nice = DEFAULT_JOB_NICE,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`worker pool size must be ≥ 1, got ${size}`);
  }

  get running(): number {
    return this.slots.filter((s) => s.current).length;
  }

  get queued(): number {
    return this.queue.length;
  }

  submit(job: Job, handlers: JobHandlers): JobHandle {
    if (this.stopped) throw new Error('worker pool is stopped');
    let pending!: Pending;
    const done = new Promise<void>((resolve, reject) => {
      pending = { job, handlers, resolve, reject, cancelled: false };
    });
    this.queue.push(pending);
    this.pump();
    return {
      done,
      cancel: () => {
        pending.cancelled = true;
        const queuedAt = this.queue.indexOf(pending);
        if (queuedAt >= 0) {
          this.queue.splice(queuedAt, 1);
          pending.reject(new JobFailedError('CancelledError', 'cancelled before it started', true));
          return;
        }
        const slot = this.slots.find((s) => s.current === pending);
        slot?.worker.postMessage({ type: 'cancel', jobId: job.jobId } satisfies ToWorker);
      },
    };
  }

  /** Starts idle workers ahead of time (loading tfjs takes seconds), so the first job starts at once. */
  prewarm(count = 1): void {
    while (this.slots.length < Math.min(count, this.size)) this.spawn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const p of this.queue.splice(0))
      p.reject(new JobFailedError('CancelledError', 'server shutting down', true));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.current);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const next = this.queue.shift()!;
      slot.current = next;
      next.handlers.onStart?.();
      slot.worker.postMessage({ type: 'start', job: next.job } satisfies ToWorker);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(workerEntry, { workerData: { nice: this.nice } });
    const slot: Slot = { worker };
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    worker.on('error', (error) => this.onCrash(slot, error));
    worker.on('exit', (code) => {
      if (!this.stopped) this.onCrash(slot, new Error(`job worker exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    const current = slot.current;
    if (message.type === 'ready' || !current || message.jobId !== current.job.jobId) return;
    switch (message.type) {
      case 'event':
        current.handlers.onEvent(message.event);
        return;
      case 'trained':
        current.handlers.onTrained?.(message.model);
        return;
      case 'failed':
        slot.current = undefined;
        current.reject(new JobFailedError(message.name, message.message, message.expected));
        break;
      case 'finished':
        slot.current = undefined;
        current.resolve();
        break;
    }
    this.pump();
  }

  private onCrash(slot: Slot, error: Error): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    slot.current?.reject(new JobFailedError('WorkerCrashed', `job worker crashed: ${error.message}`, false));
    slot.current = undefined;
    void slot.worker.terminate();
    if (!this.stopped) this.pump();
  }
}
