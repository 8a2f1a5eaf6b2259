import type { OptimizationEvent, OptimizationResult, StepEvent } from '@argmax/core/optimize/types';
import type { RunStep } from '@argmax/db/repositories/runSteps';
import type { Run } from '@argmax/db/repositories/runs';
import type { Storage } from '@argmax/db/storage';
import type { ServerConfig } from '../config.ts';
import { limitExceeded } from '../errors.ts';
import {
  type CertificateMessage,
  type CertifyRequest,
  isCertificateMessage,
} from '../jobs/certificateMessages.ts';
import type { SerializableOptimizeOptions, SnapshotPolicy } from '../jobs/jobMessages.ts';
import { defaultSnapshotPolicy, snapshotSchedule } from '../jobs/snapshotSchedule.ts';
import { JobFailedError, type JobHandle, type WorkerPool } from '../jobs/workerPool.ts';
import type { EventBus, RunEvent, RunStepEvent } from '../pubsub/eventBus.ts';
import { RunCertificates } from '../runs/runCertificate.ts';
import { inputToPngDataUrl } from './runImages.ts';

/** What a run request becomes once validated: the core's options plus how to draw its input. */
export interface RunSpec {
  options: SerializableOptimizeOptions;
  /** Model input shape without the batch dim, and the box used to scale images. */
  inputShape: number[];
  imageRange: [number, number];
  /** Absent in runs stored before certificates and snapshot policies were part of the request. */
  certify?: CertifyRequest;
  snapshots?: SnapshotPolicy;
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED']);
export const isFinal = (status: string) => FINAL.has(status);

interface Live {
  handle: JobHandle;
  pendingSteps: RunStep[];
  pendingSnapshots: { step: number; input: Float32Array }[];
  lastInput: Float32Array | null;
  schedule: (step: number, steps: number) => boolean;
  flushing: Promise<void>;
  lastPublishAt: number;
  steps: number;
  finalResult?: OptimizationResult;
  seconds?: number;
}

/**
 * Runs optimisations: persists a QUEUED run, hands it to the worker pool, stores every step (batched)
 * and the scheduled snapshots, publishes live events, and records the outcome. The GraphQL layer only
 * calls start/cancel and reads from storage + the event bus.
 */
export class RunService {
  private readonly live = new Map<string, Live>();
  private readonly certificates: RunCertificates;

  constructor(
    private readonly storage: Storage,
    private readonly pool: WorkerPool,
    private readonly bus: EventBus,
    private readonly config: ServerConfig,
    /** The tfjs backend the workers report. */
    private readonly backend: () => string,
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
    const artifacts = await this.storage.models.getArtifacts(request.modelId);
    if (!artifacts) throw new Error(`model ${request.modelId} has no artefacts`);
    const run = await this.storage.runs.create({
      teamId: request.teamId,
      modelId: request.modelId,
      creatorId: request.creatorId,
      spec: request.spec as unknown as never,
    });
    await this.certificates.open(run.id, request.spec.certify?.timeLimitSeconds ?? 0);
    this.dispatch(run.id, request.modelId, request.spec, artifacts);
    return run;
  }

  /** Hands a stored QUEUED run to the worker pool and follows it to its end. */
  private dispatch(
    runId: string,
    modelId: string,
    spec: RunSpec,
    artifacts: { modelJson: string; weights: Uint8Array },
  ): void {
    const steps = spec.options.steps ?? 0;
    const snapshots = spec.snapshots ?? defaultSnapshotPolicy;
    const live: Live = {
      pendingSteps: [],
      pendingSnapshots: [],
      lastInput: null,
      schedule: snapshotSchedule(snapshots),
      flushing: Promise.resolve(),
      lastPublishAt: 0,
      steps,
      handle: undefined as unknown as JobHandle,
    };
    this.live.set(runId, live);
    const startedAt = Date.now();
    live.handle = this.pool.submit(
      {
        kind: 'optimize',
        jobId: runId,
        model: { cacheKey: modelId, modelJson: artifacts.modelJson, weights: artifacts.weights },
        options: spec.options,
        snapshots,
        ...(spec.certify ? { certify: spec.certify } : {}),
      },
      {
        onStart: () => void this.markRunning(runId, spec.options.method ?? 'projected-adam'),
        onEvent: (event) =>
          this.onEvent(runId, spec, event as OptimizationEvent | CertificateMessage, startedAt),
      },
    );
    live.handle.done.then(
      () => this.settle(runId),
      (error: Error) => this.settle(runId, error),
    );
  }

  async cancel(runId: string): Promise<void> {
    const live = this.live.get(runId);
    if (live) {
      live.handle.cancel();
      return;
    }
    // Not running in this process (e.g. queued before a restart): finish it directly.
    const run = await this.storage.runs.finish(runId, { status: 'CANCELLED' });
    if (run) this.publish(runId, { type: 'status', runId, status: 'CANCELLED', error: null });
  }

  /** Flushes buffered steps so a late joiner reading storage sees everything published so far. */
  async flush(runId: string): Promise<void> {
    const live = this.live.get(runId);
    if (live) await this.persist(runId, live);
    await this.certificates.flush(runId);
  }

  /**
   * At start-up, on the embedded database (one process owns it): runs left RUNNING by a previous process
   * cannot resume and become INTERRUPTED; runs still QUEUED are dispatched again.
   */
  async recover(): Promise<string[]> {
    const interrupted = await this.storage.runs.interruptRunning({
      error: 'the server restarted while the run was active',
    });
    // Their certificates keep the bound reached so far (it still holds) and say why they stopped.
    await this.storage.runCertificates.stopUnfinished(interrupted, 'the server restarted while certifying');
    // Queued runs had not started: they run now, in the order they were started.
    for (const run of await this.storage.runs.listQueued()) {
      const artifacts = await this.storage.models.getArtifacts(run.modelId);
      if (artifacts) this.dispatch(run.id, run.modelId, run.spec as unknown as RunSpec, artifacts);
      else await this.storage.runs.finish(run.id, { status: 'FAILED', error: 'its model was deleted' });
    }
    return interrupted;
  }

  get activeCount(): number {
    return this.live.size;
  }

  private async markRunning(runId: string, method: string): Promise<void> {
    const run = await this.storage.runs.markRunning(runId, { backend: this.backend(), method });
    if (run) this.publish(runId, { type: 'status', runId, status: 'RUNNING', error: null });
  }

  private onEvent(
    runId: string,
    spec: RunSpec,
    event: OptimizationEvent | CertificateMessage,
    startedAt: number,
  ): void {
    const live = this.live.get(runId);
    if (!live) return;
    if (isCertificateMessage(event)) {
      this.certificates.onMessage(runId, event);
      return;
    }
    if (event.type === 'done') {
      live.finalResult = event.result;
      live.seconds = (Date.now() - startedAt) / 1000;
      return;
    }
    live.steps = event.steps;
    live.pendingSteps.push(toStoredStep(event));
    if (event.input) {
      live.lastInput = event.input;
      if (live.schedule(event.step, event.steps))
        live.pendingSnapshots.push({ step: event.step, input: event.input });
    }
    const now = Date.now();
    const last = event.step === event.steps - 1;
    // Publishing is already coalesced here (≤ 30/s per run); each subscriber throttles again for itself.
    if (event.input && (last || now - live.lastPublishAt >= 33)) {
      live.lastPublishAt = now;
      this.publish(runId, toStepEvent(runId, event, spec));
    }
    if (live.pendingSteps.length >= 500 || last) void this.persist(runId, live);
    else if (live.pendingSteps.length === 1) setTimeout(() => void this.persist(runId, live), 250);
  }

  private persist(runId: string, live: Live): Promise<void> {
    live.flushing = live.flushing.then(async () => {
      const steps = live.pendingSteps.splice(0);
      const snapshots = live.pendingSnapshots.splice(0);
      if (steps.length > 0) await this.storage.runSteps.append(runId, steps);
      if (snapshots.length > 0) await this.storage.runSnapshots.append(runId, snapshots);
    });
    return live.flushing.catch((error) => this.config.log(`run ${runId}: storing steps failed: ${error}`));
  }

  private async settle(runId: string, error?: Error): Promise<void> {
    const live = this.live.get(runId);
    if (!live) return;
    await this.persist(runId, live);
    const result = live.finalResult;
    let run: Run | null;
    if (!error && result) {
      const best = this.certificates.bestOf(runId, result);
      await this.certificates.settle(runId, 'SUCCEEDED');
      run = await this.storage.runs.finish(runId, {
        status: 'SUCCEEDED',
        value: best.value,
        violation: best.violation,
        outputs: best.outputs,
        bestInput: best.input,
        finalInput: live.lastInput ?? result.input,
        timings: {
          seconds: live.seconds ?? result.seconds,
          optimizeSeconds: result.seconds,
          steps: result.steps,
          restarts: result.restarts,
        },
      });
    } else {
      const cancelled = error instanceof JobFailedError && error.errorName === 'CancelledError';
      const reason = describeFailure(error, this.config.log, runId);
      await this.certificates.settle(runId, cancelled ? 'CANCELLED' : 'FAILED');
      run = await this.storage.runs.finish(runId, {
        status: cancelled ? 'CANCELLED' : 'FAILED',
        error: cancelled ? null : reason,
        ...(live.lastInput ? { finalInput: live.lastInput } : {}),
      });
    }
    this.live.delete(runId);
    if (run) this.publish(runId, { type: 'status', runId, status: run.status, error: run.error });
  }

  private publish(runId: string, event: RunEvent): void {
    this.bus.publish('run', runId, event);
  }
}

function toStoredStep(event: StepEvent): RunStep {
  return {
    step: event.step,
    restart: 0,
    objective: event.objective,
    violation: event.violation,
    outputs: event.outputs.probabilities ?? event.outputs.raw,
  };
}

export function toStepEvent(runId: string, event: StepEvent, spec: RunSpec): RunStepEvent {
  return {
    type: 'step',
    runId,
    step: event.step,
    steps: event.steps,
    objective: event.objective,
    violation: event.violation,
    outputs: event.outputs.probabilities ?? event.outputs.raw,
    image: event.input ? inputToPngDataUrl(event.input, spec.inputShape, spec.imageRange) : null,
    publishedAt: Date.now(),
  };
}

function describeFailure(error: Error | undefined, log: (line: string) => void, runId: string): string {
  if (error instanceof JobFailedError && error.expected) return error.message;
  const id = crypto.randomUUID();
  log(`run ${runId} failed unexpectedly (${id}): ${error?.stack ?? 'the job ended without a result'}`);
  return `internal error while running the optimisation (reference ${id})`;
}
