import type { TrainingJob } from '@argmax/db/repositories/trainingJobs';
import type { ExecutionContext } from '../jobs/executionContext.ts';
import type { TrainedModel, TrainingEventPayload, TrainJob } from '../jobs/thread/jobMessages.ts';
import { untilStorageAnswers } from '../jobs/untilStorageAnswers.ts';
import { JobFailedError, type JobHandle } from '../jobs/workerPool.ts';
import { readTrainingSpec, type TrainingSpec } from './trainingSpec.ts';

interface Live {
  /** Set once the pool has the job. */
  handle?: JobHandle;
  seq: number;
  trained?: TrainedModel;
  lastDone?: TrainingEventPayload;
  pending: Promise<void>;
  /** Another executor claimed the job first (or it was cancelled while waiting): leave its row alone. */
  abandoned: boolean;
  /** The pool started it (until then, its row is still QUEUED). */
  started: boolean;
}

/**
 * The execution half of training jobs: a worker loads the dataset and trains, every epoch and (throttled)
 * batch event is stored and published, and on success a new team model holds the trained weights. Runs in
 * an API server (in-process pool) or in a worker process (distributed queue).
 */
export class TrainingExecutor {
  private readonly live = new Map<string, Live>();
  private stopping = false;

  constructor(private readonly ctx: ExecutionContext) {}

  get activeCount(): number {
    return this.live.size;
  }

  /** Executes a stored job; resolves once its outcome is stored and published. */
  async execute(job: TrainingJob): Promise<void> {
    const spec = readTrainingSpec(job);
    const message: TrainJob = {
      kind: 'train',
      jobId: job.id,
      dataset: spec.dataset,
      arch: spec.arch,
      epochs: spec.epochs,
      seed: spec.seed,
      ...(spec.batchesPerEpoch ? { batchesPerEpoch: spec.batchesPerEpoch } : {}),
    };
    const live: Live = {
      seq: 0,
      pending: Promise.resolve(),
      abandoned: false,
      started: false,
    };
    this.live.set(job.id, live);
    const handle = this.ctx.pool.submit(message, {
      onStart: () => {
        live.started = true;
        void this.markRunning(job.id, live);
      },
      onEvent: (event) => this.onEvent(job.id, live, event as TrainingEventPayload),
      onTrained: (model) => {
        live.trained = model;
      },
    });
    live.handle = handle;
    await handle.done.then(
      () => this.settle(job, spec),
      (error: Error) => this.settle(job, spec, error),
    );
  }

  /** Before the pool stops: jobs still waiting for a slot stay QUEUED instead of becoming CANCELLED. */
  stop(): void {
    this.stopping = true;
  }

  /** Whether this process is executing (or about to execute) the job. */
  has(jobId: string): boolean {
    return this.live.has(jobId);
  }

  /** Cancels a job executing (or waiting) here; false when this process does not have it. */
  cancel(jobId: string): boolean {
    const live = this.live.get(jobId);
    live?.handle?.cancel();
    return live !== undefined;
  }

  private async markRunning(jobId: string, live: Live): Promise<void> {
    const claimed = await this.ctx.storage.trainingJobs.markRunning(jobId, {
      backend: this.ctx.backend(),
      workerId: this.ctx.workerId,
    });
    if (claimed) this.publishStatus(jobId, 'RUNNING', null);
    else {
      live.abandoned = true;
      live.handle?.cancel();
    }
  }

  private onEvent(jobId: string, live: Live, event: TrainingEventPayload): void {
    if (live.abandoned) return;
    if (event.type === 'done') live.lastDone = event;
    const seq = live.seq++;
    const { type, ...payload } = event;
    if (type === 'epoch' || type === 'batch') {
      const metrics = Object.fromEntries(
        Object.entries(payload).filter(
          ([key, v]) => typeof v === 'number' && key !== 'epoch' && key !== 'batch',
        ),
      ) as Record<string, number>;
      const stored = {
        seq,
        kind: type,
        epoch: Number(payload.epoch),
        batch: type === 'batch' ? Number(payload.batch) : null,
        metrics,
      };
      live.pending = live.pending
        .then(() => this.ctx.storage.trainingEvents.append(jobId, [stored]))
        .then(() => undefined)
        .catch((error) => this.ctx.config.log(`training ${jobId}: storing an event failed: ${error}`));
    }
    this.ctx.bus.publish('training', jobId, { jobId, kind: type, seq, payload });
  }

  private async settle(job: TrainingJob, spec: TrainingSpec, error?: Error): Promise<void> {
    const live = this.live.get(job.id);
    if (!live) return;
    await live.pending;
    // Shutting down: a job that never started stays QUEUED for the next start (or another worker).
    if (live.abandoned || (!live.started && this.stopping)) {
      this.live.delete(job.id);
      return;
    }
    let status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' = 'SUCCEEDED';
    let reason: string | null = null;
    let modelId: string | null = null;
    if (!error && live.trained) {
      const m = live.trained;
      const model = await this.ctx.storage.models.create({
        teamId: job.teamId,
        name: spec.name,
        origin: 'trained',
        modelJson: m.modelJson,
        weights: m.weights,
        inputShape: m.inputShape,
        outputCount: m.outputCount,
        classNames: m.classNames,
        layerSummary: m.layerSummary as never,
        parameterCount: m.parameterCount,
        createdBy: job.creatorId,
      });
      modelId = model.id;
    } else {
      const cancelled = error instanceof JobFailedError && error.errorName === 'CancelledError';
      status = cancelled ? 'CANCELLED' : 'FAILED';
      reason = cancelled
        ? null
        : error instanceof JobFailedError && error.expected
          ? error.message
          : 'internal error while training';
      if (!cancelled && !(error instanceof JobFailedError && error.expected))
        this.ctx.config.log(`training ${job.id} failed: ${error?.stack}`);
    }
    const done = live.lastDone;
    const finished = await untilStorageAnswers(
      () =>
        this.ctx.storage.trainingJobs.finish(job.id, {
          status,
          error: reason,
          modelId,
          metrics: done
            ? ({
                loss: done.loss,
                accuracy: done.accuracy,
                testLoss: done.testLoss,
                testAccuracy: done.testAccuracy,
              } as never)
            : null,
          timings: done ? ({ seconds: done.seconds } as never) : null,
        }),
      `training ${job.id}: recording its outcome`,
      this.ctx.config.log,
    );
    this.live.delete(job.id);
    if (finished) this.publishStatus(job.id, finished.status, finished.error);
  }

  private publishStatus(jobId: string, status: string, error: string | null): void {
    this.ctx.bus.publish('training', jobId, { jobId, kind: 'status', seq: -1, payload: { status, error } });
  }
}
