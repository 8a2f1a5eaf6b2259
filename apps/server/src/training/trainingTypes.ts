import type { TrainingJob } from '@argmax/db';
import { z } from 'zod';
import { loadTeamItem, requireTeamRole } from '../access.ts';
import type { ApiContext } from '../graphql/apiContext.ts';
import { builder } from '../graphql/builder.ts';
import { JobStatusEnum } from '../graphql/jobStatus.ts';
import { ModelRef } from '../models/modelTypes.ts';
import type { TrainingEventMessage } from '../pubsub/eventBus.ts';
import { throttleLatest } from '../pubsub/throttleLatest.ts';
import { parseInput } from '../validation.ts';
import { seenAs, seenLike, teamAccess } from '../visibility/seen.ts';
import { trainingEventStream } from './trainingEventStream.ts';

const TrainingJobRef = builder.objectRef<TrainingJob>('TrainingJob').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    teamId: t.exposeID('teamId'),
    status: t.field({ type: JobStatusEnum, resolve: (j) => j.status }),
    error: t.exposeString('error', { nullable: true }),
    backend: t.exposeString('backend', { nullable: true }),
    spec: t.field({ type: 'JSON', resolve: (j) => j.spec }),
    metrics: t.field({ type: 'JSON', nullable: true, resolve: (j) => j.metrics }),
    timings: t.field({ type: 'JSON', nullable: true, resolve: (j) => j.timings }),
    createdAt: t.field({ type: 'DateTime', resolve: (j) => j.createdAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (j) => j.finishedAt }),
    model: t.field({
      type: ModelRef,
      nullable: true,
      description: 'The trained model, once the job succeeded.',
      resolve: (j, _a, ctx) => (j.modelId ? ctx.storage.models.get(j.modelId) : null),
    }),
  }),
});

const TrainingEventRef = builder.objectRef<TrainingEventMessage>('TrainingEvent').implement({
  description:
    'kind is start, batch, epoch, done or status; payload holds its numbers (loss, accuracy, examplesPerSecond, ...).',
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    kind: t.exposeString('kind'),
    seq: t.exposeInt('seq'),
    payload: t.field({ type: 'JSON', resolve: (e) => e.payload }),
  }),
});

const loadJob = (ctx: ApiContext, id: string, atLeast: 'VIEWER' | 'MEMBER'): Promise<TrainingJob> =>
  loadTeamItem(ctx, 'training job', id, (jobId) => ctx.storage.trainingJobs.get(jobId), atLeast);

const trainInput = z.object({
  name: z.string().trim().min(1).max(100),
  dataset: z.enum(['fashion-mnist', 'mnist']),
  arch: z.enum(['mlp', 'cnn']),
  epochs: z.number().int().min(1).max(50),
  seed: z.number().int().min(0),
  batchesPerEpoch: z.number().int().min(1).nullish(),
});

builder.mutationField('trainModel', (t) =>
  t.field({
    type: TrainingJobRef,
    description: 'Members: trains a new model for the team as a job; watch it with trainingEvents(jobId).',
    args: {
      teamId: t.arg.id({ required: true }),
      name: t.arg.string({ required: true }),
      dataset: t.arg.string({ defaultValue: 'fashion-mnist', description: 'fashion-mnist or mnist' }),
      arch: t.arg.string({ defaultValue: 'mlp', description: 'mlp or cnn' }),
      epochs: t.arg.int({ defaultValue: 5 }),
      seed: t.arg.int({ defaultValue: 42 }),
      batchesPerEpoch: t.arg.int({ description: 'Stop each epoch early (quick demos).' }),
    },
    resolve: async (_r, args, ctx) => {
      const teamId = String(args.teamId);
      const role = await requireTeamRole(ctx, teamId, 'MEMBER');
      const input = parseInput(trainInput, args);
      const job = await ctx.services.training.start({
        teamId,
        creatorId: ctx.viewer!.user.id,
        spec: { ...input, batchesPerEpoch: input.batchesPerEpoch ?? undefined },
      });
      return seenAs(teamAccess(role), job);
    },
  }),
);

builder.mutationField('cancelTraining', (t) =>
  t.field({
    type: TrainingJobRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const job = await loadJob(ctx, String(args.id), 'MEMBER');
      return seenLike(job, await ctx.services.training.cancelUnlessEnded(job));
    },
  }),
);

builder.queryField('trainingJob', (t) =>
  t.field({
    type: TrainingJobRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => loadJob(ctx, String(args.id), 'VIEWER'),
  }),
);

builder.queryField('trainingJobs', (t) =>
  t.field({
    type: [TrainingJobRef],
    args: { teamId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const role = await requireTeamRole(ctx, String(args.teamId), 'VIEWER');
      const { items } = await ctx.storage.trainingJobs.list({ teamId: String(args.teamId) }, { first: 50 });
      return seenAs(teamAccess(role), items);
    },
  }),
);

builder.subscriptionField('trainingEvents', (t) =>
  t.field({
    type: TrainingEventRef,
    description:
      'Epoch and batch progress of a training job (a late joiner first gets the stored epochs and batches), ending with its final status.',
    args: { jobId: t.arg.id({ required: true }) },
    subscribe: async (_r, args, ctx) => {
      const job = await loadJob(ctx, String(args.jobId), 'VIEWER');
      const events = trainingEventStream(job, ctx.storage, ctx.services.bus);
      return throttleLatest(events, { intervalMs: 100, keep: (e) => e.kind !== 'batch' });
    },
    // Every role sees every event field: the least role is enough to tag them with.
    resolve: (event: TrainingEventMessage) => seenAs(teamAccess('VIEWER'), event),
  }),
);
