import type { Run, Storage } from '@argmax/db';
import type { ServerConfig } from '../config.ts';
import type { JobDispatch } from '../jobs/jobDispatch.ts';
import { JobService } from '../jobs/jobService.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import { RunCertificates } from './certificate/runCertificate.ts';
import { runKind } from './runKind.ts';
import type { RunSpec } from './runSpec.ts';

// The API's resolvers reach this service as `services.runs` (see graphql/apiContext.ts).
declare module '../graphql/apiContext.ts' {
  interface ApiServices {
    runs: RunService;
  }
}

/**
 * The dispatch half of runs (limits, dispatch, cancel, recovery: `jobs/jobService.ts`): a new run is
 * stored QUEUED with its certificate. Execution, step storage and publishing live in the run executor, in
 * whichever process runs the job.
 */
export class RunService extends JobService<Run> {
  private readonly certificates: RunCertificates;

  constructor(
    private readonly storage: Storage,
    dispatch: JobDispatch,
    bus: EventBus,
    config: ServerConfig,
  ) {
    super(
      runKind({ storage, bus, log: config.log }),
      dispatch,
      bus,
      {
        name: 'maxActiveRunsPerUser',
        max: config.limits.maxActiveRunsPerUser,
        explain: (active, max) => `you already have ${active} runs queued or running; the limit is ${max}`,
      },
      'the server restarted while the run was active',
    );
    this.certificates = new RunCertificates(storage, bus, config.log);
  }

  start(request: { teamId: string; modelId: string; creatorId: string; spec: RunSpec }): Promise<Run> {
    return this.submit(request.creatorId, async () => {
      const run = await this.storage.runs.create(request);
      await this.certificates.open(run.id, request.spec.certify?.timeLimitSeconds ?? 0);
      return run;
    });
  }
}
