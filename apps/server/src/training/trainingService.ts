import type { Storage, TrainingJob } from '@argmax/db';
import type { JobDispatch } from '../jobs/jobDispatch.ts';
import { JobService } from '../jobs/jobService.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import { trainingKind } from './trainingKind.ts';
import type { TrainingSpec } from './trainingSpec.ts';

// The API's resolvers reach this service as `services.training` (see graphql/apiContext.ts).
declare module '../graphql/apiContext.ts' {
  interface ApiServices {
    training: TrainingService;
  }
}

/** Active training jobs a user may have at once. */
const MAX_ACTIVE_TRAINING_JOBS = 2;

/**
 * The dispatch half of training jobs (limits, dispatch, cancel, recovery: `jobs/jobService.ts`). The
 * training executor trains each wherever it runs.
 */
export class TrainingService extends JobService<TrainingJob> {
  constructor(
    private readonly storage: Storage,
    dispatch: JobDispatch,
    bus: EventBus,
  ) {
    super(
      trainingKind(storage, bus),
      dispatch,
      bus,
      {
        name: 'maxActiveTrainingJobsPerUser',
        max: MAX_ACTIVE_TRAINING_JOBS,
        explain: (active, max) => `you already have ${active} training jobs active; the limit is ${max}`,
      },
      'the server restarted while the job was active',
    );
  }

  start(request: { teamId: string; creatorId: string; spec: TrainingSpec }): Promise<TrainingJob> {
    return this.submit(request.creatorId, () =>
      this.storage.trainingJobs.create({
        teamId: request.teamId,
        creatorId: request.creatorId,
        spec: request.spec as never,
      }),
    );
  }
}
