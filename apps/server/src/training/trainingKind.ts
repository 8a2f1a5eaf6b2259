import type { Storage, TrainingJob } from '@argmax/db';
import type { JobKind } from '../jobs/jobKind.ts';
import type { EventBus } from '../pubsub/eventBus.ts';

/**
 * Training jobs as the job machinery knows them (`jobs/jobKind.ts`): their rows, and their status events
 * on the `training` channel (which end every stream of the job).
 */
export function trainingKind(storage: Storage, bus: EventBus): JobKind<TrainingJob> {
  const publishStatus = (jobId: string, status: string, error: string | null) =>
    bus.publish('training', jobId, { jobId, kind: 'status', seq: -1, payload: { status, error } });
  return {
    name: 'training',
    rows: storage.trainingJobs,
    publishStarted: (id) => publishStatus(id, 'RUNNING', null),
    ended: async (job) => publishStatus(job.id, job.status, job.error),
  };
}
