import type { TrainingJob } from '@argmax/db/repositories/trainingJobs';
import type { Storage } from '@argmax/db/storage';
import { limitExceeded } from '../errors.ts';
import type { JobDispatch } from '../jobs/jobDispatch.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import type { TrainingSpec } from './trainingSpec.ts';

// The API's resolvers reach this service as `services.training` (see graphql/apiContext.ts).
declare module '../graphql/apiContext.ts' {
  interface ApiServices {
    training: TrainingService;
  }
}

/**
 * The dispatch half of training jobs: a QUEUED job row handed to the dispatch (this server's pool or the
 * distributed queue). TrainingExecutor trains it wherever it runs.
 */
export class TrainingService {
  constructor(
    private readonly storage: Storage,
    private readonly dispatch: JobDispatch,
    private readonly bus: EventBus,
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
    await this.dispatch.training(job);
    return job;
  }

  async cancel(jobId: string): Promise<void> {
    if (this.dispatch.local?.training.cancel(jobId)) return;
    // Executing elsewhere: whoever has it stops and records it. Not started yet: recorded here.
    this.bus.publish('cancel', { kind: 'training', id: jobId });
    const job = await this.storage.trainingJobs.get(jobId);
    if (job?.status !== 'QUEUED') return;
    if (await this.storage.trainingJobs.finish(jobId, { status: 'CANCELLED' }))
      this.bus.publish('training', jobId, {
        jobId,
        kind: 'status',
        seq: -1,
        payload: { status: 'CANCELLED', error: null },
      });
  }

  /** At start-up on the embedded database: RUNNING jobs become INTERRUPTED, QUEUED ones are handed out again. */
  async recover(): Promise<string[]> {
    const interrupted = await this.storage.trainingJobs.interruptRunning({
      error: 'the server restarted while the job was active',
    });
    await this.resubmitQueued();
    return interrupted;
  }

  /** Hands every QUEUED job to the dispatch again, oldest first (a distributed queue ignores duplicates). */
  async resubmitQueued(): Promise<number> {
    const queued = await this.storage.trainingJobs.listQueued();
    for (const job of queued) await this.dispatch.training(job);
    return queued.length;
  }
}
