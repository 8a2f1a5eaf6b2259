import type { TrainingJob } from '@argmax/db';
import type { ExecutionContext } from '../jobs/executionContext.ts';
import { type JobSteps, PoolExecutor } from '../jobs/poolExecutor.ts';
import type { TrainedModel, TrainingEventPayload } from '../jobs/thread/jobMessages.ts';
import { trainingKind } from './trainingKind.ts';
import { readTrainingSpec, type TrainingSpec } from './trainingSpec.ts';

/** What a training job's events build while it executes here. */
interface TrainingState {
  spec: TrainingSpec;
  seq: number;
  trained?: TrainedModel;
  lastDone?: TrainingEventPayload;
  /** Event writes, in order. */
  pending: Promise<void>;
}

/**
 * The execution half of training jobs: a worker loads the dataset and trains, every epoch and batch event
 * is stored and published, and on success a new team model holds the trained weights. The claim,
 * cancellation, failures and the end are the job machinery's (`jobs/poolExecutor.ts`).
 */
export function trainingExecutor(ctx: ExecutionContext): PoolExecutor<TrainingJob, TrainingState> {
  return new PoolExecutor(ctx, trainingSteps(ctx));
}

function trainingSteps(ctx: ExecutionContext): JobSteps<TrainingJob, TrainingState> {
  const finalMetrics = (state: TrainingState) => {
    const done = state.lastDone;
    return {
      metrics: done
        ? ({
            loss: done.loss,
            accuracy: done.accuracy,
            testLoss: done.testLoss,
            testAccuracy: done.testAccuracy,
          } as never)
        : null,
      timings: done ? ({ seconds: done.seconds } as never) : null,
    };
  };
  return {
    kind: trainingKind(ctx.storage, ctx.bus),

    async prepare(job) {
      const spec = readTrainingSpec(job);
      return {
        job: {
          kind: 'train',
          jobId: job.id,
          dataset: spec.dataset,
          arch: spec.arch,
          epochs: spec.epochs,
          seed: spec.seed,
          ...(spec.batchesPerEpoch ? { batchesPerEpoch: spec.batchesPerEpoch } : {}),
        },
        state: { spec, seq: 0, pending: Promise.resolve() },
      };
    },

    claim: (job, _state, write) =>
      write(`training ${job.id}: recording its start`, () =>
        ctx.storage.trainingJobs.markRunning(job.id, { backend: ctx.backend(), workerId: ctx.workerId }),
      ),

    onEvent(job, state, jobEvent) {
      const event = jobEvent as TrainingEventPayload;
      if (event.type === 'done') state.lastDone = event;
      const seq = state.seq++;
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
        state.pending = state.pending
          .then(() => ctx.storage.trainingEvents.append(job.id, [stored]))
          .then(() => undefined)
          .catch((error) => ctx.config.log(`training ${job.id}: storing an event failed: ${error}`));
      }
      ctx.bus.publish('training', job.id, { jobId: job.id, kind: type, seq, payload });
    },

    onTrained(state, model) {
      state.trained = model;
    },

    flush: async (_id, state) => state?.pending,

    async succeeded(job, state) {
      const m = state.trained;
      if (!m) return null;
      const model = await ctx.storage.models.create({
        teamId: job.teamId,
        name: state.spec.name,
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
      return { status: 'SUCCEEDED', modelId: model.id, ...finalMetrics(state) };
    },

    failed: (state, failure) => ({ ...failure, ...finalMetrics(state) }),
  };
}
