import { isFinalStatus } from '@argmax/db/jobStatus';
import type { Run } from '@argmax/db/repositories/runs';
import type { Storage } from '@argmax/db/storage';
import type { ServerConfig } from '../config.ts';
import { limitExceeded } from '../errors.ts';
import type { JobDispatch } from '../jobs/jobDispatch.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import { certificateStopReason, RunCertificates } from './certificate/runCertificate.ts';
import { endRun, publishRunEnd, type RunEndContext } from './runEnd.ts';
import type { RunSpec } from './runSpec.ts';

/** How long a cancel waits for the process executing the run to record it before recording it itself. */
const CANCEL_GRACE_MS = 3000;

// The API's resolvers reach this service as `services.runs` (see graphql/apiContext.ts).
declare module '../graphql/apiContext.ts' {
  interface ApiServices {
    runs: RunService;
  }
}

/**
 * The dispatch half of runs: checks limits, persists a QUEUED run and hands it to the dispatch (this
 * server's pool or the distributed queue); cancels wherever the run executes. Execution, step storage and
 * publishing live in RunExecutor, in whichever process runs the job.
 */
export class RunService {
  private readonly certificates: RunCertificates;

  constructor(
    private readonly storage: Storage,
    private readonly dispatch: JobDispatch,
    private readonly bus: EventBus,
    private readonly config: ServerConfig,
  ) {
    this.certificates = new RunCertificates(storage, bus, config.log);
  }

  async start(request: { teamId: string; modelId: string; creatorId: string; spec: RunSpec }): Promise<Run> {
    const active = await this.storage.runs.countActiveByCreator(request.creatorId);
    if (active >= this.config.limits.maxActiveRunsPerUser)
      throw limitExceeded(
        'maxActiveRunsPerUser',
        `you already have ${active} runs queued or running; the limit is ${this.config.limits.maxActiveRunsPerUser}`,
      );
    const run = await this.storage.runs.create({
      teamId: request.teamId,
      modelId: request.modelId,
      creatorId: request.creatorId,
      spec: request.spec,
    });
    await this.certificates.open(run.id, request.spec.certify?.timeLimitSeconds ?? 0);
    await this.dispatch.run(run);
    return run;
  }

  async cancel(runId: string): Promise<void> {
    if (this.dispatch.local?.runs.cancel(runId)) return;
    // Executing elsewhere (a worker process, another server): whoever has it stops and records it.
    this.bus.publish('cancel', { kind: 'run', id: runId });
    const deadline = Date.now() + CANCEL_GRACE_MS;
    let run = await this.storage.runs.get(runId);
    while (run?.status === 'RUNNING' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = await this.storage.runs.get(runId);
    }
    if (!run || isFinalStatus(run.status)) return;
    // Not started anywhere yet, or its executor is gone: recorded here.
    await endRun(this.ending, runId, { status: 'CANCELLED' }, certificateStopReason('CANCELLED'));
  }

  private get ending(): RunEndContext {
    return { storage: this.storage, bus: this.bus, log: this.config.log };
  }

  /** Flushes buffered steps so a late joiner reading storage sees everything published so far. */
  async flush(runId: string): Promise<void> {
    await this.dispatch.local?.runs.flush(runId);
  }

  /**
   * At start-up, on the embedded database (one process owns it): runs left RUNNING by a previous process
   * cannot resume and become INTERRUPTED; runs still QUEUED are dispatched again.
   */
  async recover(): Promise<string[]> {
    const error = 'the server restarted while the run was active';
    const interrupted = await this.storage.runs.interruptRunning({ error });
    // Their certificates keep the bound reached so far (it still holds) and say why they stopped.
    await this.storage.runCertificates.stopUnfinished(interrupted, 'the server restarted while certifying');
    for (const id of interrupted) await publishRunEnd(this.ending, { id, status: 'INTERRUPTED', error });
    await this.resubmitQueued();
    return interrupted;
  }

  /** Hands every QUEUED run to the dispatch again, oldest first (a distributed queue ignores duplicates). */
  async resubmitQueued(): Promise<number> {
    const queued = await this.storage.runs.listQueued();
    for (const run of queued) await this.dispatch.run(run);
    return queued.length;
  }
}
