import { builder } from '../graphql/builder.ts';
import { priorEnumName } from '../models/modelDataset.ts';
import { PriorDatasetEnum } from '../models/modelTypes.ts';
import { AnchorKind } from './runInputTypes.ts';
import type { RunOptions, RunSpec } from './runSpec.ts';

/** `Run.spec` as typed objects: the stored spec's options, field for field (see `runs/runSpec.ts`). */

type Constraints = RunOptions['constraints'];
type Ball = NonNullable<Constraints['linf']>;
type Linear = NonNullable<Constraints['linear']>[number];

const RunObjectiveRef = builder.objectRef<RunOptions['objective']>('RunObjective').implement({
  description: 'What the run maximises.',
  fields: (t) => ({
    kind: t.exposeString('kind', {
      description: 'logit, prob, logprob, margin (of class `index`), unit or channel (of `layer`).',
    }),
    index: t.int({
      nullable: true,
      description: 'Class or unit index (null for channel).',
      resolve: (o) => ('index' in o ? o.index : null),
    }),
    layer: t.string({ nullable: true, resolve: (o) => ('layer' in o ? o.layer : null) }),
    channel: t.int({ nullable: true, resolve: (o) => ('channel' in o ? o.channel : null) }),
  }),
});

const RunBoxRef = builder.objectRef<Constraints['box']>('RunBox').implement({
  fields: (t) => ({ lo: t.exposeFloat('lo'), hi: t.exposeFloat('hi') }),
});

const RunBallRef = builder.objectRef<Ball>('RunBall').implement({
  fields: (t) => ({
    reference: t.exposeFloatList('reference', { description: 'Flat, in the model input order.' }),
    epsilon: t.exposeFloat('epsilon'),
  }),
});

const RunMaskRef = builder.objectRef<NonNullable<Constraints['mask']>>('RunMask').implement({
  fields: (t) => ({
    fixed: t.exposeFloatList('fixed', { description: '1 where the input stays at the reference.' }),
    reference: t.exposeFloatList('reference'),
  }),
});

const RunLinearConstraintRef = builder.objectRef<Linear>('RunLinearConstraint').implement({
  fields: (t) => ({
    weights: t.floatList({
      nullable: true,
      description: 'One per input; null when the constraint is on the mean.',
      resolve: (l) => (l.weights === 'mean' ? null : l.weights),
    }),
    mean: t.boolean({ resolve: (l) => l.weights === 'mean' }),
    sense: t.exposeString('sense', { description: '<= or >=.' }),
    bound: t.exposeFloat('bound'),
  }),
});

const RunConstraintsRef = builder.objectRef<Constraints>('RunConstraints').implement({
  fields: (t) => ({
    box: t.field({ type: RunBoxRef, resolve: (c) => c.box }),
    linf: t.field({ type: RunBallRef, nullable: true, resolve: (c) => c.linf ?? null }),
    l2: t.field({ type: RunBallRef, nullable: true, resolve: (c) => c.l2 ?? null }),
    mask: t.field({ type: RunMaskRef, nullable: true, resolve: (c) => c.mask ?? null }),
    linear: t.field({ type: [RunLinearConstraintRef], nullable: true, resolve: (c) => c.linear ?? null }),
    quantizeLevels: t.int({ nullable: true, resolve: (c) => c.quantize?.levels ?? null }),
  }),
});

const RunRegularizersRef = builder
  .objectRef<NonNullable<RunOptions['regularizers']>>('RunRegularizers')
  .implement({
    fields: (t) => ({
      l2: t.exposeFloat('l2', { nullable: true }),
      tv: t.exposeFloat('tv', { nullable: true }),
      blur: t.exposeFloat('blur', { nullable: true }),
      blurEvery: t.exposeInt('blurEvery', { nullable: true }),
      jitter: t.exposeInt('jitter', { nullable: true }),
    }),
  });

export const RunSpecRef = builder
  .objectRef<RunOptions & Pick<RunSpec, 'prior' | 'accentuate' | 'diverse'>>('RunSpec')
  .implement({
    description: 'The validated request, as the optimiser received it.',
    fields: (t) => ({
      objective: t.field({ type: RunObjectiveRef, resolve: (o) => o.objective }),
      method: t.exposeString('method', {
        description: 'projected-adam, normalized-gradient-ascent or trainable-input-layer.',
      }),
      steps: t.exposeInt('steps', {
        nullable: true,
        description: 'Null when a time budget chose the steps (`Run.budget`).',
      }),
      restarts: t.exposeInt('restarts', {
        nullable: true,
        description: 'Null when a time budget chose the starts (`Run.budget`).',
      }),
      timeBudgetSeconds: t.exposeFloat('timeBudget', {
        nullable: true,
        description: 'Seconds the gradient steps were given, when steps and starts were fitted to them.',
      }),
      seed: t.exposeInt('seed', { nullable: true }),
      learningRate: t.exposeFloat('learningRate', { nullable: true }),
      parameterization: t.exposeString('parameterization', { nullable: true }),
      constraints: t.field({ type: RunConstraintsRef, resolve: (o) => o.constraints }),
      regularizers: t.field({
        type: RunRegularizersRef,
        nullable: true,
        resolve: (o) => o.regularizers ?? null,
      }),
      prior: t.field({
        type: PriorDatasetEnum,
        description: 'The dataset prior searched in (NONE: the constraints alone).',
        resolve: (o) => priorEnumName(o.prior),
      }),
      accentuate: t.field({
        type: AnchorKind,
        nullable: true,
        description: 'The image an accentuated run started from (null: not accentuated).',
        resolve: (o) =>
          !o.accentuate
            ? null
            : o.accentuate.reference
              ? 'REFERENCE'
              : o.accentuate.trainingIndex !== undefined
                ? 'TRAINING'
                : 'TYPICAL',
      }),
      diverse: t.exposeInt('diverse', {
        nullable: true,
        description: 'How many distinct prototypes were asked for (null: none).',
      }),
    }),
  });
