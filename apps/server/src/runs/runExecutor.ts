import type { OptimizationEvent, OptimizationResult, StepEvent } from '@argmax/core';
import type { ModelSummary, Run, RunStep } from '@argmax/db';
import type { ExecutionContext } from '../jobs/executionContext.ts';
import { type JobSteps, PoolExecutor } from '../jobs/poolExecutor.ts';
import { type CertificateMessage, isCertificateMessage } from '../jobs/thread/certificateMessages.ts';
import type { OptimizeJob } from '../jobs/thread/jobMessages.ts';
import { PUBLISH_INTERVAL_MS } from '../jobs/thread/liveFrameRate.ts';
import {
  isPriorProgress,
  isPriorSearchMessage,
  isRealismMessage,
  type PriorProgressMessage,
  type PriorSearchMessage,
  type RealismMessage,
} from '../jobs/thread/realismMessages.ts';
import { defaultSnapshotPolicy, snapshotSchedule } from '../jobs/thread/snapshotSchedule.ts';
import { waitingWrites } from '../jobs/untilStorageAnswers.ts';
import { modelDataset } from '../models/modelDataset.ts';
import type { RunStepEvent } from '../pubsub/eventBus.ts';
import { RunCertificates } from './certificate/runCertificate.ts';
import { PriorBuilds } from './priorBuilds.ts';
import type { RunBudget } from './runBudget.ts';
import { inputToPngDataUrl } from './runImages.ts';
import { runKind } from './runKind.ts';
import { priorLocation } from './runPrior.ts';
import { type RunPriorSearch, storedPriorSearch } from './runPriorSearch.ts';
import { type RunRealism, storedRealism } from './runRealism.ts';
import { type RunSpec, readRunSpec } from './runSpec.ts';

/** What a run's events build while it executes here. */
interface RunState {
  spec: RunSpec;
  startedAt: number;
  /** Set once its claim is stored: only then are its steps stored. */
  claimed: boolean;
  pendingSteps: RunStep[];
  pendingSnapshots: { step: number; input: Float32Array }[];
  /** Certificate messages that arrived before the claim was stored (an unsupported model says so at once). */
  pendingCertificate: CertificateMessage[];
  lastInput: Float32Array | null;
  schedule: (step: number, steps: number) => boolean;
  flushing: Promise<void>;
  lastPublishAt: number;
  /** What the time budget chose, from the first step; `recorded` once storage has it. */
  budget?: { choice: RunBudget; recorded: boolean };
  finalResult?: OptimizationResult;
  realism?: RunRealism;
  priorSearch?: RunPriorSearch;
  seconds?: number;
}

/**
 * The execution half of runs: executes a stored QUEUED run on this process's worker pool, stores every
 * step (batched) and the scheduled snapshots, publishes live events, and records the outcome with the best
 * input the optimiser or the certifier found. The claim, cancellation, failures and the end are the job
 * machinery's (`jobs/poolExecutor.ts`).
 */
export function runExecutor(ctx: ExecutionContext): PoolExecutor<Run, RunState> {
  return new PoolExecutor(ctx, runSteps(ctx));
}

function runSteps(ctx: ExecutionContext): JobSteps<Run, RunState> {
  const log = ctx.config.log;
  const certificates = new RunCertificates(ctx.storage, ctx.bus, log);
  const stored = waitingWrites(log);
  const priors = new PriorBuilds(ctx.pool, log);

  /**
   * The prior the job uses: the one the run searches in (built first if need be, its progress published on
   * the run, which stays QUEUED meanwhile), else its model's dataset's, to measure the answer against.
   */
  const priorOf = async (run: Run, spec: RunSpec, model: ModelSummary): Promise<OptimizeJob['prior']> => {
    const box = spec.imageRange;
    if (spec.prior) {
      const location = priorLocation(ctx.config, spec.prior);
      await priors.ready(location, ({ fraction, message }) =>
        ctx.bus.publish('run', run.id, {
          type: 'status',
          runId: run.id,
          status: 'QUEUED',
          error: null,
          prior: { fraction, stage: message },
        }),
      );
      return {
        location,
        search: true,
        box,
        ...(spec.accentuate ? { accentuate: spec.accentuate } : {}),
        ...(spec.diverse !== undefined ? { diverse: spec.diverse } : {}),
      };
    }
    const dataset = modelDataset(model);
    return dataset ? { location: priorLocation(ctx.config, dataset), search: false, box } : undefined;
  };

  const persist = (runId: string, state: RunState): Promise<void> => {
    if (!state.claimed) return Promise.resolve();
    state.flushing = state.flushing.then(async () => {
      const steps = state.pendingSteps.splice(0);
      const snapshots = state.pendingSnapshots.splice(0);
      const what = `run ${runId}: storing steps`;
      if (steps.length > 0) await stored(what, () => ctx.storage.runSteps.append(runId, steps));
      if (snapshots.length > 0) await stored(what, () => ctx.storage.runSnapshots.append(runId, snapshots));
    });
    return state.flushing.catch((error) => log(`run ${runId}: storing steps failed: ${error}`));
  };

  /** Stores what the time budget chose as soon as the run is claimed and its first step has come. */
  const recordBudget = (runId: string, state: RunState): void => {
    const budget = state.budget;
    if (!state.claimed || !budget || budget.recorded) return;
    budget.recorded = true;
    void stored(`run ${runId}: recording its budget`, () =>
      ctx.storage.runs.recordTimings(runId, { budget: budget.choice }),
    ).catch((error) => log(`run ${runId}: recording its budget failed: ${error}`));
  };

  return {
    kind: runKind({ storage: ctx.storage, bus: ctx.bus, log }),

    async prepare(run) {
      const artifacts = await ctx.storage.models.getArtifacts(run.modelId);
      if (!artifacts) return { outcome: { status: 'FAILED', error: 'its model was deleted' } };
      const spec = readRunSpec(run);
      const snapshots = spec.snapshots ?? defaultSnapshotPolicy;
      let prior: OptimizeJob['prior'];
      try {
        prior = await priorOf(run, spec, artifacts);
      } catch (error) {
        return { outcome: { status: 'FAILED', error: (error as Error).message } };
      }
      return {
        job: {
          kind: 'optimize',
          jobId: run.id,
          model: { cacheKey: run.modelId, modelJson: artifacts.modelJson, weights: artifacts.weights },
          options: spec.options,
          snapshots,
          ...(spec.certify ? { certify: spec.certify } : {}),
          ...(prior ? { prior } : {}),
        },
        state: {
          spec,
          startedAt: Date.now(),
          claimed: false,
          pendingSteps: [],
          pendingSnapshots: [],
          pendingCertificate: [],
          lastInput: null,
          schedule: snapshotSchedule(snapshots),
          flushing: Promise.resolve(),
          lastPublishAt: 0,
        },
      };
    },

    claim: (run, { spec }, write) =>
      write(`run ${run.id}: recording its start`, () =>
        ctx.storage.runs.markRunning(run.id, {
          backend: ctx.backend(),
          method: spec.options.method ?? 'projected-adam',
          workerId: ctx.workerId,
        }),
      ),

    claimed(run, state) {
      state.claimed = true;
      // Bounds arrive after the optimisation's steps, long after this.
      certificates.follow(run.id, state.spec.certify?.timeLimitSeconds ?? 0);
      for (const message of state.pendingCertificate.splice(0)) certificates.onMessage(run.id, message);
      void persist(run.id, state);
      recordBudget(run.id, state);
    },

    onEvent(run, state, jobEvent) {
      const event = jobEvent as
        | OptimizationEvent
        | CertificateMessage
        | RealismMessage
        | PriorSearchMessage
        | PriorProgressMessage;
      if (isPriorProgress(event)) return;
      if (isPriorSearchMessage(event)) {
        state.priorSearch = storedPriorSearch(event, state.spec);
        return;
      }
      if (isRealismMessage(event)) {
        state.realism = storedRealism(event, state.spec);
        return;
      }
      if (isCertificateMessage(event)) {
        if (state.claimed) certificates.onMessage(run.id, event);
        else state.pendingCertificate.push(event);
        return;
      }
      if (event.type === 'done') {
        state.finalResult = event.result;
        state.seconds = (Date.now() - state.startedAt) / 1000;
        return;
      }
      if (state.spec.options.timeBudget !== undefined && !state.budget) {
        const choice = {
          seconds: state.spec.options.timeBudget,
          steps: event.steps,
          restarts: event.objectives.length,
        };
        state.budget = { choice, recorded: false };
        recordBudget(run.id, state);
      }
      state.pendingSteps.push(toStoredStep(event));
      ctx.onStep?.();
      if (event.input) {
        state.lastInput = event.input;
        if (state.schedule(event.step, event.steps))
          state.pendingSnapshots.push({ step: event.step, input: event.input });
      }
      const now = Date.now();
      const last = event.step === event.steps - 1;
      // Publishing is already coalesced here (~30/s per run); each subscriber throttles again for itself.
      // The worker spaces live frames by the interval; messages arrive with jitter, hence the 3/4.
      if (event.input && (last || now - state.lastPublishAt >= 0.75 * PUBLISH_INTERVAL_MS)) {
        state.lastPublishAt = now;
        const restarts =
          state.spec.options.restarts ?? state.budget?.choice.restarts ?? event.objectives.length;
        ctx.bus.publish('run', run.id, toStepEvent(run.id, event, state.spec, restarts));
      }
      if (state.pendingSteps.length >= 500 || last) void persist(run.id, state);
      else if (state.pendingSteps.length === 1) setTimeout(() => void persist(run.id, state), 250);
    },

    async flush(runId, state) {
      if (state) await persist(runId, state);
      await certificates.flush(runId);
    },

    async succeeded(run, state) {
      const result = state.finalResult;
      if (!result) return null;
      const best = certificates.bestOf(run.id, result);
      // The core's whole choice; a search in a prior reports none, and keeps what its first step showed.
      const budget = result.budget ?? state.budget?.choice;
      return {
        status: 'SUCCEEDED',
        value: best.value,
        violation: best.violation,
        outputs: best.outputs,
        bestInput: best.input,
        finalInput: state.lastInput ?? result.input,
        timings: {
          seconds: state.seconds ?? result.seconds,
          optimizeSeconds: result.seconds,
          steps: result.steps,
          restarts: result.restarts,
          ...(budget ? { budget: { ...budget } } : {}),
        },
        ...(state.realism ? { realism: state.realism } : {}),
        ...(state.priorSearch ? { priorSearch: state.priorSearch } : {}),
      };
    },

    failed: (state, failure) => ({
      ...failure,
      ...(state.lastInput ? { finalInput: state.lastInput } : {}),
      // What its budget chose stays with a run that did not finish (its steps and events need it).
      ...(state.budget ? { timings: { budget: state.budget.choice } } : {}),
    }),

    // A certificate followed here ends with its last bound; one never started (a run cancelled while it
    // waited) is stopped with the run's end. Either way the end publishes its final word, then the status.
    ending: (runId, outcome) => certificates.settle(runId, outcome.status),
  };
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

/** `restarts`: the run's starts (a time budget may cut them to the best few as it goes: methods/keepBest.ts). */
function toStepEvent(runId: string, event: StepEvent, spec: RunSpec, restarts: number): RunStepEvent {
  return {
    type: 'step',
    runId,
    step: event.step,
    steps: event.steps,
    restarts,
    objective: event.objective,
    violation: event.violation,
    outputs: event.outputs.probabilities ?? event.outputs.raw,
    image: event.input ? inputToPngDataUrl(event.input, spec.inputShape, spec.imageRange) : null,
    publishedAt: Date.now(),
  };
}
