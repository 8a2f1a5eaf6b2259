import { isFinalStatus, type JOB_STATUSES, type Run, type RunStep } from '@argmax/db';
import { loadRun, requireTeamRole } from '../access.ts';
import { UserRef } from '../auth/userTypes.ts';
import { notFound } from '../errors.ts';
import { builder } from '../graphql/builder.ts';
import { JobStatusEnum } from '../graphql/jobStatus.ts';
import { ModelRef } from '../models/modelTypes.ts';
import type { RunEvent, RunStatusEvent, RunStepEvent } from '../pubsub/eventBus.ts';
import { SHARE_LINK, seenAs, seenLike, teamAccess } from '../visibility/seen.ts';
import { RunBoundEventRef, RunCertificateRef } from './certificate/certificateTypes.ts';
import { certificateAsSeen, certificateRegion } from './certificate/certificateView.ts';
import { RunRealismRef } from './realismTypes.ts';
import { budgetOf, type RunBudget } from './runBudget.ts';
import { runEvents } from './runEvents.ts';
import { inputToPngDataUrl } from './runImages.ts';
import { toRunSpec } from './runInput.ts';
import { StartRunInput } from './runInputTypes.ts';
import { readRunRealism } from './runRealism.ts';
import { type RunSpec, readRunSpec } from './runSpec.ts';
import { RunSpecRef } from './runSpecTypes.ts';

const RunStepRef = builder.objectRef<RunStep>('RunStep').implement({
  fields: (t) => ({
    step: t.exposeInt('step'),
    objective: t.exposeFloat('objective'),
    violation: t.exposeFloat('violation', { nullable: true }),
    outputs: t.exposeFloatList('outputs'),
  }),
});

const SnapshotRef = builder
  .objectRef<{ step: number; input: Float32Array; spec: RunSpec }>('RunSnapshot')
  .implement({
    fields: (t) => ({
      step: t.exposeInt('step'),
      input: t.floatList({ resolve: (s) => Array.from(s.input) }),
      image: t.string({
        nullable: true,
        description: 'PNG data URL (null for inputs that are not images).',
        resolve: (s) => inputToPngDataUrl(s.input, s.spec.inputShape, s.spec.imageRange),
      }),
    }),
  });

const specOf = readRunSpec;

const RunBudgetCutRef = builder
  .objectRef<NonNullable<RunBudget['keepBest']>[number]>('RunBudgetCut')
  .implement({
    description:
      'A cut of the starts a time budget made: after `after` steps only the best `starts` went on.',
    fields: (t) => ({
      after: t.exposeInt('after', { description: 'Steps every start took.' }),
      starts: t.exposeInt('starts', { description: 'Starts that took the remaining steps.' }),
    }),
  });

const RunBudgetRef = builder.objectRef<RunBudget>('RunBudget').implement({
  description: "What the time budget chose for projected-adam's run: the most starts whose steps fit it.",
  fields: (t) => ({
    seconds: t.exposeFloat('seconds', { description: 'The budget for the gradient steps.' }),
    steps: t.exposeInt('steps'),
    restarts: t.exposeInt('restarts', { description: 'Starts optimised together.' }),
    secondsPerStep: t.exposeFloat('secondsPerStep', {
      nullable: true,
      description: 'The step time the choice predicted from the measured cost (once the run has ended).',
    }),
    keepBest: t.field({
      type: [RunBudgetCutRef],
      nullable: true,
      description:
        'The cuts of the starts, in step order (once the run has ended; empty when every start took every step).',
      // The core leaves out `keepBest` without cuts; the ended choice is known by its step time.
      resolve: (b) => b.keepBest ?? (b.secondsPerStep !== undefined ? [] : null),
    }),
  }),
});

export const RunRef = builder.objectRef<Run>('Run').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    teamId: t.exposeID('teamId'),
    status: t.field({ type: JobStatusEnum, resolve: (r) => r.status }),
    error: t.exposeString('error', { nullable: true }),
    method: t.exposeString('method', { nullable: true }),
    backend: t.exposeString('backend', {
      nullable: true,
      description: 'The tfjs backend that ran it: tensorflow, wasm or cpu.',
    }),
    worker: t.exposeString('workerId', {
      nullable: true,
      description:
        'The process that executed it (ARGMAX_WORKER_ID, default host:pid): an API server, or a worker process with the distributed queue.',
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.finishedAt }),
    spec: t.field({
      type: RunSpecRef,
      description: 'The validated request: objective, method, constraints, steps, restarts, seed.',
      resolve: (r) => {
        const { options, prior, accentuate, diverse } = specOf(r);
        return { ...options, prior, accentuate, diverse };
      },
    }),
    budget: t.field({
      type: RunBudgetRef,
      nullable: true,
      description:
        'The steps and starts a time budget chose (`spec.timeBudgetSeconds`); null when they were given, and before the first step.',
      resolve: (r) => budgetOf(r),
    }),
    inputShape: t.intList({ resolve: (r) => specOf(r).inputShape }),
    value: t.exposeFloat('value', { nullable: true, description: 'Objective at the best input.' }),
    violation: t.exposeFloat('violation', {
      nullable: true,
      description: 'Largest constraint violation of the best input.',
    }),
    outputs: t.exposeFloatList('outputs', { nullable: true }),
    timings: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.timings }),
    certificate: t.field({
      type: RunCertificateRef,
      nullable: true,
      description: 'Certified upper bound and gap (null for runs from before certificates existed).',
      resolve: async (r, _a, ctx) => {
        const certificate = await ctx.storage.runCertificates.get(r.id);
        if (!certificate) return null;
        // The run as stored now: the parent may be older than the certificate (e.g. startRun's result).
        const status = isFinalStatus(r.status)
          ? r.status
          : ((await ctx.storage.runs.get(r.id))?.status ?? r.status);
        return { ...certificateAsSeen(certificate, status), region: certificateRegion(specOf(r)) };
      },
    }),
    model: t.field({
      type: ModelRef,
      resolve: async (r, _a, ctx) => {
        const model = await ctx.storage.models.get(r.modelId);
        if (!model) throw notFound('model', r.modelId);
        return model;
      },
    }),
    creator: t.field({
      type: UserRef,
      nullable: true,
      resolve: (r, _a, ctx) => ctx.storage.users.get(r.creatorId),
    }),
    bestInput: t.floatList({
      nullable: true,
      resolve: async (r, _a, ctx) => toList((await ctx.storage.runs.getInputs(r.id))?.bestInput),
    }),
    finalInput: t.floatList({
      nullable: true,
      resolve: async (r, _a, ctx) => toList((await ctx.storage.runs.getInputs(r.id))?.finalInput),
    }),
    bestImage: t.string({
      nullable: true,
      description: 'PNG data URL of the best input.',
      resolve: async (r, _a, ctx) => {
        const input = (await ctx.storage.runs.getInputs(r.id))?.bestInput;
        return input ? inputToPngDataUrl(input, specOf(r).inputShape, specOf(r).imageRange) : null;
      },
    }),
    realism: t.field({
      type: RunRealismRef,
      nullable: true,
      description:
        "How realistic the best input is, for models of a known dataset (null while running, and when the dataset's prior was not built).",
      resolve: (r) => readRunRealism(r),
    }),
    stepCount: t.int({ resolve: (r, _a, ctx) => ctx.storage.runSteps.count(r.id) }),
    steps: t.field({
      type: [RunStepRef],
      description: 'Stored scalars of every step; `every` thins a long run.',
      args: {
        from: t.arg.int({ defaultValue: 0 }),
        limit: t.arg.int({ defaultValue: 1000 }),
        every: t.arg.int({ defaultValue: 1 }),
      },
      resolve: (r, args, ctx) =>
        ctx.storage.runSteps.read(r.id, {
          fromStep: Math.max(0, args.from ?? 0),
          limit: clamp(args.limit ?? 1000, 1, 10_000),
          every: Math.max(1, args.every ?? 1),
        }),
    }),
    snapshotSteps: t.intList({
      description: 'Steps with a stored input snapshot (for the scrubber).',
      resolve: (r, _a, ctx) => ctx.storage.runSnapshots.listSteps(r.id),
    }),
    snapshot: t.field({
      type: SnapshotRef,
      nullable: true,
      args: { step: t.arg.int({ required: true }) },
      resolve: async (r, args, ctx) => {
        const input = await ctx.storage.runSnapshots.get(r.id, args.step);
        return input ? { step: args.step, input, spec: specOf(r) } : null;
      },
    }),
  }),
});

const toList = (x: Float32Array | null | undefined) => (x ? Array.from(x) : null);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

const RunPage = builder.objectRef<{ items: Run[]; nextCursor: string | null }>('RunPage').implement({
  fields: (t) => ({
    items: t.field({ type: [RunRef], resolve: (p) => p.items }),
    nextCursor: t.exposeString('nextCursor', {
      nullable: true,
      description: 'Pass as `after` for the next page; null on the last.',
    }),
  }),
});

builder.queryField('run', (t) =>
  t.field({
    type: RunRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => loadRun(ctx, String(args.id), 'VIEWER'),
  }),
);

builder.queryField('runs', (t) =>
  t.field({
    type: RunPage,
    args: {
      teamId: t.arg.id({ required: true }),
      modelId: t.arg.id(),
      creatorId: t.arg.id(),
      status: t.arg({ type: [JobStatusEnum] }),
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
    },
    resolve: async (_r, args, ctx) => {
      const teamId = String(args.teamId);
      const role = await requireTeamRole(ctx, teamId, 'VIEWER');
      const page = await ctx.storage.runs.list(
        {
          teamId,
          ...(args.modelId ? { modelId: String(args.modelId) } : {}),
          ...(args.creatorId ? { creatorId: String(args.creatorId) } : {}),
          ...(args.status && args.status.length > 0 ? { status: args.status } : {}),
        },
        { first: args.first ?? 20, after: args.after ?? null },
      );
      return seenAs(teamAccess(role), page);
    },
  }),
);

builder.mutationField('startRun', (t) =>
  t.field({
    type: RunRef,
    description: 'Queues an optimisation; subscribe to runEvents(runId) to watch it.',
    args: {
      teamId: t.arg.id({ required: true }),
      modelId: t.arg.id({ required: true }),
      input: t.arg({ type: StartRunInput, required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const teamId = String(args.teamId);
      const role = await requireTeamRole(ctx, teamId, 'MEMBER');
      const model = await ctx.storage.models.get(String(args.modelId)).catch(() => null);
      if (!model || (model.teamId !== null && model.teamId !== teamId))
        throw notFound('model', String(args.modelId));
      const spec = toRunSpec(args.input, model, ctx.services.config);
      const run = await ctx.services.runs.start({
        teamId,
        modelId: model.id,
        creatorId: ctx.viewer!.user.id,
        spec,
      });
      return seenAs(teamAccess(role), run);
    },
  }),
);

builder.mutationField('cancelRun', (t) =>
  t.field({
    type: RunRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const run = await loadRun(ctx, String(args.id), 'MEMBER');
      return seenLike(run, await ctx.services.runs.cancelUnlessEnded(run));
    },
  }),
);

const RunStatusEventRef = builder.objectRef<RunStatusEvent>('RunStatusEvent').implement({
  fields: (t) => ({
    runId: t.exposeID('runId'),
    status: t.field({ type: JobStatusEnum, resolve: (e) => e.status as (typeof JOB_STATUSES)[number] }),
    error: t.exposeString('error', { nullable: true }),
    priorProgress: t.float({
      nullable: true,
      description:
        'While QUEUED: how far the prior the run searches in is built (0–1; built once, then reused). Null otherwise.',
      resolve: (e) => e.prior?.fraction ?? null,
    }),
    priorStage: t.string({
      nullable: true,
      description: "While the prior is built: the build's stage.",
      resolve: (e) => e.prior?.stage ?? null,
    }),
  }),
});

const RunStepEventRef = builder.objectRef<RunStepEvent>('RunStepEvent').implement({
  fields: (t) => ({
    runId: t.exposeID('runId'),
    step: t.exposeInt('step'),
    steps: t.exposeInt('steps'),
    restarts: t.exposeInt('restarts', {
      description:
        'Starts optimised together: asked for, or chosen by the time budget (0 while not yet known).',
    }),
    objective: t.exposeFloat('objective'),
    violation: t.exposeFloat('violation'),
    outputs: t.exposeFloatList('outputs', {
      description: 'Probabilities when the model has a softmax head, else raw outputs.',
    }),
    image: t.exposeString('image', {
      nullable: true,
      description: 'PNG data URL of the input at this step.',
    }),
    publishedAt: t.exposeFloat('publishedAt', {
      nullable: true,
      description:
        'Server time (ms since the epoch) the step was published; null when replayed from storage.',
    }),
  }),
});

const RunEventUnion = builder.unionType('RunEvent', {
  types: [RunStatusEventRef, RunStepEventRef, RunBoundEventRef],
  resolveType: (e) =>
    e.type === 'status' ? 'RunStatusEvent' : e.type === 'bound' ? 'RunBoundEvent' : 'RunStepEvent',
});

builder.subscriptionField('runEvents', (t) =>
  t.field({
    type: RunEventUnion,
    description:
      'Status changes, steps and certificate bounds of a run: first what happened so far, then live; ends with the run.',
    args: {
      runId: t.arg.id({ required: true }),
      shareToken: t.arg.string({ description: 'Watch through a share link, signed out.' }),
    },
    subscribe: async (_r, args, ctx) => {
      const runId = String(args.runId);
      let run: Run;
      // resolve tags each event with the way the stream was opened (a member's as VIEWER: every role
      // sees every event field).
      if (args.shareToken) {
        const link = await ctx.storage.shareLinks.findValid(args.shareToken);
        const shared = link?.runId === runId ? await ctx.storage.runs.get(runId) : null;
        if (!shared) throw notFound('run', runId);
        run = shared;
      } else {
        run = await loadRun(ctx, runId, 'VIEWER');
      }
      return runEvents(run, ctx.storage, ctx.services.bus, ctx.services.runs);
    },
    resolve: (event: RunEvent, args) => seenAs(args.shareToken ? SHARE_LINK : teamAccess('VIEWER'), event),
  }),
);
