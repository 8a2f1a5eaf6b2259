import type { TrainingJob } from '@argmax/db/repositories/trainingJobs';
import type { Storage } from '@argmax/db/storage';
import type { ServerConfig } from '../config.ts';
import { limitExceeded } from '../errors.ts';
import type { TrainedModel, TrainingEventPayload, TrainJob } from '../jobs/jobMessages.ts';
import { JobFailedError, type JobHandle, type WorkerPool } from '../jobs/workerPool.ts';
import type { EventBus } from '../pubsub/eventBus.ts';

export interface TrainingSpec {
  name: string;
  dataset: 'fashion-mnist' | 'mnist';
  arch: 'mlp' | 'cnn';
  epochs: number;
  seed: number;
  batchesPerEpoch?: number;
}

interface Live {
  handle: JobHandle;
  seq: number;
  trained?: TrainedModel;
  lastDone?: TrainingEventPayload;
  pending: Promise<void>;
}

/**
 * Training jobs: a queued job row, a worker that loads the dataset and trains, every epoch and (throttled)
 * batch event stored and published, and on success a new team model with the trained weights.
 */
export class TrainingService {
  private readonly live = new Map<string, Live>();

  constructor(
    private readonly storage: Storage,
    private readonly pool: WorkerPool,
    private readonly bus: EventBus,
    private readonly config: ServerConfig,
    private readonly backend: () => string,
  ) {}

  async start(request: { teamId: string; creatorId: string; spec: TrainingSpec }): Promise<TrainingJob> {
    const active = await this.storage.trainingJobs.countActiveByCreator(request.creatorId);
    if (active >= 2)
      throw limitExceeded(
        'maxActiveTrainingJobsPerUser',
        `you already have ${active} training jobs active; the limit is 2`,
      );
    const job = await this.storage.trainingJobs.create({
      teamId: request.teamId,
      creatorId: request.creatorId,
      spec: request.spec as never,
    });
    const message: TrainJob = {
      kind: 'train',
      jobId: job.id,
      dataset: request.spec.dataset,
      arch: request.spec.arch,
      epochs: request.spec.epochs,
      seed: request.spec.seed,
      ...(request.spec.batchesPerEpoch ? { batchesPerEpoch: request.spec.batchesPerEpoch } : {}),
    };
    const live: Live = { seq: 0, pending: Promise.resolve(), handle: undefined as unknown as JobHandle };
    this.live.set(job.id, live);
    live.handle = this.pool.submit(message, {
      onStart: () => void this.markRunning(job.id),
      onEvent: (event) => this.onEvent(job.id, live, event as TrainingEventPayload),
      onTrained: (model) => {
        live.trained = model;
      },
    });
    live.handle.done.then(
      () => this.settle(job, request.spec),
      (error: Error) => this.settle(job, request.spec, error),
    );
    return job;
  }

  async cancel(jobId: string): Promise<void> {
    const live = this.live.get(jobId);
    if (live) live.handle.cancel();
    else if (await this.storage.trainingJobs.finish(jobId, { status: 'CANCELLED' }))
      this.publishStatus(jobId, 'CANCELLED', null);
  }

  recover(): Promise<string[]> {
    return this.storage.trainingJobs.interruptRunning({
      error: 'the server restarted while the job was active',
    });
  }

  private async markRunning(jobId: string): Promise<void> {
    if (await this.storage.trainingJobs.markRunning(jobId, { backend: this.backend() }))
      this.publishStatus(jobId, 'RUNNING', null);
  }

  private onEvent(jobId: string, live: Live, event: TrainingEventPayload): void {
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
        .then(() => this.storage.trainingEvents.append(jobId, [stored]))
        .then(() => undefined)
        .catch((error) => this.config.log(`training ${jobId}: storing an event failed: ${error}`));
    }
    this.bus.publish('training', jobId, { jobId, kind: type, seq, payload });
  }

  private async settle(job: TrainingJob, spec: TrainingSpec, error?: Error): Promise<void> {
    const live = this.live.get(job.id);
    if (!live) return;
    await live.pending;
    let status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' = 'SUCCEEDED';
    let reason: string | null = null;
    let modelId: string | null = null;
    if (!error && live.trained) {
      const m = live.trained;
      const model = await this.storage.models.create({
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
        this.config.log(`training ${job.id} failed: ${error?.stack}`);
    }
    const done = live.lastDone;
    const finished = await this.storage.trainingJobs.finish(job.id, {
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
    });
    this.live.delete(job.id);
    if (finished) this.publishStatus(job.id, finished.status, finished.error);
  }

  private publishStatus(jobId: string, status: string, error: string | null): void {
    this.bus.publish('training', jobId, { jobId, kind: 'status', seq: -1, payload: { status, error } });
  }
}
