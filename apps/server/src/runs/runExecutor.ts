import type { OptimizationEvent, OptimizationResult, StepEvent } from '@argmax/core/spec/types';
import type { RunStep } from '@argmax/db/repositories/runSteps';
import type { Run, RunOutcome } from '@argmax/db/repositories/runs';
import type { ExecutionContext } from '../jobs/executionContext.ts';
import { type CertificateMessage, isCertificateMessage } from '../jobs/thread/certificateMessages.ts';
import type { OptimizeJob } from '../jobs/thread/jobMessages.ts';
import { PUBLISH_INTERVAL_MS } from '../jobs/thread/liveFrameRate.ts';
import {
  isPriorProgress,
  isRealismMessage,
  type PriorProgressMessage,
  type RealismMessage,
} from '../jobs/thread/realismMessages.ts';
import { defaultSnapshotPolicy, snapshotSchedule } from '../jobs/thread/snapshotSchedule.ts';
import { untilStorageAnswers } from '../jobs/untilStorageAnswers.ts';
import { JobFailedError, type JobHandle } from '../jobs/workerPool.ts';
import type { RunEvent, RunStepEvent } from '../pubsub/eventBus.ts';
import { certificateStopReason, RunCertificates } from './certificate/runCertificate.ts';
import { PriorBuilds } from './priorBuilds.ts';
import { endRun, type RunEndContext } from './runEnd.ts';
import { inputToPngDataUrl } from './runImages.ts';
import { modelDataset, priorLocation } from './runPrior.ts';
import { type RunRealism, storedRealism } from './runRealism.ts';
import { type RunSpec, readRunSpec } from './runSpec.ts';

interface Live {
  /** Set once the pool has the job. */
  handle?: JobHandle;
  pendingSteps: RunStep[];
  pendingSnapshots: { step: number; input: Float32Array }[];
  /** Certificate messages that arrived before the claim was stored (an unsupported model says so at once). */
  pendingCertificate: CertificateMessage[];
  lastInput: Float32Array | null;
  schedule: (step: number, steps: number) => boolean;
  flushing: Promise<void>;
  lastPublishAt: number;
  steps: number;
  finalResult?: OptimizationResult;
  realism?: RunRealism;
  seconds?: number;
  /**
   * Whether this executor owns the run's row. `unstarted` until the pool starts the job, then `claiming`
   * (QUEUED → RUNNING in storage); steps are stored once `claimed`. `abandoned` when another executor
   * claimed it first, or it was cancelled while waiting: its row is then left alone.
   */
  claim: 'unstarted' | 'claiming' | 'claimed' | 'abandoned';
  claiming?: Promise<void>;
}

/** What the executor needs of a stored run. */
export type RunToExecute = Pick<Run, 'id' | 'modelId' | 'spec'>;

/**
 * The execution half of runs: takes a stored QUEUED run, executes it on this process's worker pool,
 * stores every step (batched) and the scheduled snapshots, publishes live events, and records the outcome.
 * The same code runs inside an API server (in-process pool) and inside a worker process (distributed queue).
 */
export class RunExecutor {
  private readonly live = new Map<string, Live>();
  private readonly certificates: RunCertificates;
  private readonly priors: PriorBuilds;
  private stopping = false;

  constructor(private readonly ctx: ExecutionContext) {
    this.certificates = new RunCertificates(ctx.storage, ctx.bus, ctx.config.log);
    this.priors = new PriorBuilds(ctx.pool, ctx.config.log);
  }

  /** Runs executing (or waiting for a pool slot) in this process. */
  get activeCount(): number {
    return this.live.size;
  }

  /**
   * Executes a stored run and resolves once its outcome is stored and published (never rejects: a run that
   * cannot execute ends FAILED with the reason).
   */
  async execute(run: RunToExecute): Promise<void> {
    const artifacts = await this.ctx.storage.models.getArtifacts(run.modelId);
    if (!artifacts) {
      await endRun(
        this.ending,
        run.id,
        { status: 'FAILED', error: 'its model was deleted' },
        certificateStopReason('FAILED'),
      );
      return;
    }
    const spec = readRunSpec(run);
    const runId = run.id;
    const snapshots = spec.snapshots ?? defaultSnapshotPolicy;
    const live: Live = {
      pendingSteps: [],
      pendingSnapshots: [],
      pendingCertificate: [],
      lastInput: null,
      schedule: snapshotSchedule(snapshots),
      flushing: Promise.resolve(),
      lastPublishAt: 0,
      steps: spec.options.steps ?? 0,
      claim: 'unstarted',
    };
    this.live.set(runId, live);
    // The prior searched in is built once, before the run's job (the run stays QUEUED, showing the build).
    const prior = await this.priorOf(runId, spec, run.modelId);
    if (prior === 'failed') return;
    const startedAt = Date.now();
    const handle = this.ctx.pool.submit(
      {
        kind: 'optimize',
        jobId: runId,
        model: { cacheKey: run.modelId, modelJson: artifacts.modelJson, weights: artifacts.weights },
        options: spec.options,
        snapshots,
        ...(spec.certify ? { certify: spec.certify } : {}),
        ...(prior ? { prior } : {}),
      },
      {
        onStart: () => {
          live.claim = 'claiming';
          live.claiming = this.markRunning(runId, spec, live).catch((error) => {
            this.ctx.config.log(`run ${runId}: could not record its start: ${error}`);
            live.claim = 'abandoned';
            live.handle?.cancel();
          });
        },
        onEvent: (event) =>
          this.onEvent(
            runId,
            spec,
            event as OptimizationEvent | CertificateMessage | RealismMessage | PriorProgressMessage,
            startedAt,
          ),
      },
    );
    live.handle = handle;
    await handle.done.then(
      () => this.settle(runId),
      (error: Error) => this.settle(runId, error),
    );
  }

  /**
   * The prior the job uses: the one the run searches in (built first if need be, its progress published on
   * the run), else its model's dataset's, to measure the answer against when it is stored. 'failed' when
   * the build failed: the run has then ended FAILED (or, shutting down, stays QUEUED).
   */
  private async priorOf(
    runId: string,
    spec: RunSpec,
    modelId: string,
  ): Promise<OptimizeJob['prior'] | 'failed'> {
    const box = spec.imageRange;
    if (spec.prior) {
      const location = priorLocation(this.ctx.config, spec.prior);
      try {
        await this.priors.ready(location, ({ fraction, message }) =>
          this.publish(runId, {
            type: 'status',
            runId,
            status: 'QUEUED',
            error: null,
            prior: { fraction, stage: message },
          }),
        );
      } catch (error) {
        this.live.delete(runId);
        // Shutting down stopped the build: the run stays QUEUED for the next start.
        if (this.stopping) return 'failed';
        const outcome = { status: 'FAILED' as const, error: (error as Error).message };
        await endRun(this.ending, runId, outcome, certificateStopReason('FAILED'));
        return 'failed';
      }
      return { location, search: true, box };
    }
    const model = await this.ctx.storage.models.get(modelId);
    const dataset = model ? modelDataset(model) : undefined;
    return dataset ? { location: priorLocation(this.ctx.config, dataset), search: false, box } : undefined;
  }

  /** Before the pool stops: runs still waiting for a slot stay QUEUED instead of becoming CANCELLED. */
  stop(): void {
    this.stopping = true;
  }

  /** Whether this process is executing (or about to execute) the run. */
  has(runId: string): boolean {
    return this.live.has(runId);
  }

  /** Cancels a run executing (or waiting) here; false when this process does not have it. */
  cancel(runId: string): boolean {
    const live = this.live.get(runId);
    // Waiting for its prior, it has no job yet: the caller ends it, and its job then finds it no longer QUEUED.
    if (!live?.handle) return false;
    live.handle.cancel();
    return true;
  }

  /** Flushes buffered steps so a late joiner reading storage sees everything published so far. */
  async flush(runId: string): Promise<void> {
    const live = this.live.get(runId);
    if (live) await this.persist(runId, live);
    await this.certificates.flush(runId);
  }

  /** Claims the run (QUEUED → RUNNING, with this worker's id) as its job starts. */
  private async markRunning(runId: string, spec: RunSpec, live: Live): Promise<void> {
    const run = await this.stored(`run ${runId}: recording its start`, () =>
      this.ctx.storage.runs.markRunning(runId, {
        backend: this.ctx.backend(),
        method: spec.options.method ?? 'projected-adam',
        workerId: this.ctx.workerId,
      }),
    );
    if (run) {
      live.claim = 'claimed';
      // Bounds arrive after the optimisation's steps, long after this.
      this.certificates.follow(runId, spec.certify?.timeLimitSeconds ?? 0);
      for (const message of live.pendingCertificate.splice(0)) this.certificates.onMessage(runId, message);
      void this.persist(runId, live);
      this.publish(runId, { type: 'status', runId, status: 'RUNNING', error: null });
      return;
    }
    // No longer QUEUED: cancelled while it waited, or claimed by another executor. Stop without a trace.
    live.claim = 'abandoned';
    live.handle?.cancel();
  }

  private onEvent(
    runId: string,
    spec: RunSpec,
    event: OptimizationEvent | CertificateMessage | RealismMessage | PriorProgressMessage,
    startedAt: number,
  ): void {
    const live = this.live.get(runId);
    if (!live || live.claim === 'abandoned') return;
    if (isPriorProgress(event)) return;
    if (isRealismMessage(event)) {
      live.realism = storedRealism(event, spec);
      return;
    }
    if (isCertificateMessage(event)) {
      if (live.claim === 'claimed') this.certificates.onMessage(runId, event);
      else live.pendingCertificate.push(event);
      return;
    }
    if (event.type === 'done') {
      live.finalResult = event.result;
      live.seconds = (Date.now() - startedAt) / 1000;
      return;
    }
    live.steps = event.steps;
    live.pendingSteps.push(toStoredStep(event));
    this.ctx.onStep?.();
    if (event.input) {
      live.lastInput = event.input;
      if (live.schedule(event.step, event.steps))
        live.pendingSnapshots.push({ step: event.step, input: event.input });
    }
    const now = Date.now();
    const last = event.step === event.steps - 1;
    // Publishing is already coalesced here (~30/s per run); each subscriber throttles again for itself.
    // The worker spaces live frames by the interval; messages arrive with jitter, hence the 3/4.
    if (event.input && (last || now - live.lastPublishAt >= 0.75 * PUBLISH_INTERVAL_MS)) {
      live.lastPublishAt = now;
      this.publish(runId, toStepEvent(runId, event, spec));
    }
    if (live.pendingSteps.length >= 500 || last) void this.persist(runId, live);
    else if (live.pendingSteps.length === 1) setTimeout(() => void this.persist(runId, live), 250);
  }

  private persist(runId: string, live: Live): Promise<void> {
    if (live.claim !== 'claimed') return Promise.resolve();
    live.flushing = live.flushing.then(async () => {
      const steps = live.pendingSteps.splice(0);
      const snapshots = live.pendingSnapshots.splice(0);
      const what = `run ${runId}: storing steps`;
      if (steps.length > 0) await this.stored(what, () => this.ctx.storage.runSteps.append(runId, steps));
      if (snapshots.length > 0)
        await this.stored(what, () => this.ctx.storage.runSnapshots.append(runId, snapshots));
    });
    return live.flushing.catch((error) =>
      this.ctx.config.log(`run ${runId}: storing steps failed: ${error}`),
    );
  }

  private async settle(runId: string, error?: Error): Promise<void> {
    const live = this.live.get(runId);
    if (!live) return;
    await live.claiming;
    if (live.claim === 'abandoned' || (live.claim === 'unstarted' && this.stopping)) {
      // Not this executor's row (or, shutting down, a run that never started stays QUEUED for the next start).
      this.live.delete(runId);
      return;
    }
    await this.persist(runId, live);
    const result = live.finalResult;
    let outcome: RunOutcome;
    if (!error && result) {
      const best = this.certificates.bestOf(runId, result);
      outcome = {
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
        ...(live.realism ? { realism: live.realism } : {}),
      };
    } else {
      const cancelled = error instanceof JobFailedError && error.errorName === 'CancelledError';
      outcome = {
        status: cancelled ? 'CANCELLED' : 'FAILED',
        error: cancelled ? null : describeFailure(error, this.ctx.config.log, runId),
        ...(live.lastInput ? { finalInput: live.lastInput } : {}),
      };
    }
    // A certificate followed here ends with its last bound; one never started (a run cancelled while it
    // waited) is stopped by endRun. Either way endRun publishes its final word, then the run's status.
    await this.certificates.settle(runId, outcome.status);
    try {
      await endRun(this.ending, runId, outcome, certificateStopReason(outcome.status));
    } finally {
      // Only now: until its row is final, a duplicate of its queue job must find it executing here.
      this.live.delete(runId);
    }
  }

  /** Storage writes of a run wait out a database outage (its steps and outcome are not lost). */
  private stored<T>(what: string, write: () => Promise<T>): Promise<T> {
    return untilStorageAnswers(write, what, this.ctx.config.log);
  }

  private publish(runId: string, event: RunEvent): void {
    this.ctx.bus.publish('run', runId, event);
  }

  private get ending(): RunEndContext {
    return {
      storage: this.ctx.storage,
      bus: this.ctx.bus,
      log: this.ctx.config.log,
      stored: (what, write) => this.stored(what, write),
    };
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

function toStepEvent(runId: string, event: StepEvent, spec: RunSpec): RunStepEvent {
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
