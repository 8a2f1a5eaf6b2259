import { builder } from '../graphql/builder.ts';
import { PriorDatasetEnum } from '../models/modelTypes.ts';
import type { RealisticPoint, RunRealism } from './runRealism.ts';

/** `Run.realism` as typed objects (see `runs/runRealism.ts`). */

const RealismNearestRef = builder.objectRef<RunRealism['nearest']>('RealismNearest').implement({
  description: "The nearest training image (L2) and how that distance compares with real images' own.",
  fields: (t) => ({
    index: t.exposeInt('index', { description: "Row of the prior's training sample." }),
    label: t.exposeInt('label', { nullable: true, description: 'Its class.' }),
    distance: t.exposeFloat('distance', { description: 'L2 distance, pixels in [0, 1].' }),
    percentile: t.exposeFloat('percentile', {
      description: "Where the distance falls among held-out real images' own nearest distances (0–100).",
    }),
    image: t.exposeString('image', { nullable: true, description: 'PNG data URL of the training image.' }),
  }),
});

const RealismManifoldRef = builder.objectRef<RunRealism['manifold']>('RealismManifold').implement({
  description: "Distance off the data's leading principal components.",
  fields: (t) => ({
    components: t.exposeInt('components'),
    distance: t.exposeFloat('distance'),
    percentile: t.exposeFloat('percentile', { description: "Among held-out real images' (0–100)." }),
  }),
});

const RealismJudgeRef = builder.objectRef<RunRealism['judges'][number]>('RealismJudge').implement({
  description: 'An independent classifier trained on the same data, and its label for the input.',
  fields: (t) => ({
    name: t.exposeString('name'),
    label: t.exposeInt('label'),
    probability: t.exposeFloat('probability'),
  }),
});

const RealismCriteriaRef = builder
  .objectRef<Pick<RunRealism, 'bounds' | 'checks'>>('RealismCriteria')
  .implement({
    description:
      "Which realism criteria the input meets: nearest training image within the held-out 5th–99th percentile of real images' (not a copy, not noise), manifold distance within their 99th, every judge naming the target class.",
    fields: (t) => ({
      nearest: t.boolean({ resolve: (c) => c.checks.nearest }),
      manifold: t.boolean({ resolve: (c) => c.checks.manifold }),
      judges: t.boolean({ resolve: (c) => c.checks.judges }),
      nearestLow: t.float({ resolve: (c) => c.bounds.nearestLow }),
      nearestHigh: t.float({ resolve: (c) => c.bounds.nearestHigh }),
      manifoldHigh: t.float({ resolve: (c) => c.bounds.manifoldHigh }),
    }),
  });

/** What every image a prior search produced says of its realism (a frontier point, a diverse prototype). */
export const RealisticPointRef = builder.interfaceRef<RealisticPoint>('RealisticPoint').implement({
  description:
    "An image a search in a prior produced, with its value and realism in brief (see `Run.realism` for the answer's in full).",
  fields: (t) => ({
    value: t.exposeFloat('value', { description: "The run's objective at the image." }),
    image: t.exposeString('image', { nullable: true, description: 'PNG data URL.' }),
    nearestDistance: t.exposeFloat('nearestDistance', {
      description: 'L2 distance to the nearest training image.',
    }),
    nearestPercentile: t.exposeFloat('nearestPercentile', {
      description: "Where that distance falls among held-out real images' own (0–100).",
    }),
    manifoldPercentile: t.exposeFloat('manifoldPercentile', {
      description: "Distance off the data's leading components, among held-out real images' (0–100).",
    }),
    judgesAgreeing: t.exposeInt('judgesAgreeing', { nullable: true }),
    realistic: t.exposeBoolean('realistic', { description: 'Whether every realism criterion is met.' }),
  }),
});

const RealismFrontierPointRef = builder
  .objectRef<NonNullable<RunRealism['frontier']>[number]>('RealismFrontierPoint')
  .implement({
    description:
      "A point of the price of realism: the search's answer w scaled to t·w in the class subspace, from the class mean (t 0) through the answer (t 1) to the edge of the largest set the class search may search.",
    interfaces: [RealisticPointRef],
    fields: (t) => ({
      t: t.exposeFloat('t', { description: "The ray's fraction t." }),
    }),
  });

export const RunRealismRef = builder.objectRef<RunRealism>('RunRealism').implement({
  description: "How realistic the run's best input is, measured against its model's dataset.",
  fields: (t) => ({
    dataset: t.field({
      type: PriorDatasetEnum,
      resolve: (r) => (r.dataset === 'mnist' ? 'MNIST' : 'FASHION_MNIST'),
    }),
    targetClass: t.exposeInt('targetClass', {
      nullable: true,
      description: 'The class the judges are asked about (null for unit and channel targets).',
    }),
    nearest: t.field({ type: RealismNearestRef, resolve: (r) => r.nearest }),
    manifold: t.field({ type: RealismManifoldRef, resolve: (r) => r.manifold }),
    judges: t.field({ type: [RealismJudgeRef], resolve: (r) => r.judges }),
    judgesAgreeing: t.exposeInt('judgesAgreeing', { nullable: true }),
    criteria: t.field({ type: RealismCriteriaRef, resolve: (r) => r }),
    realistic: t.exposeBoolean('realistic', { description: 'Whether every criterion is met.' }),
    frontier: t.field({
      type: [RealismFrontierPointRef],
      nullable: true,
      description:
        'The price of realism along the answer\'s ray (see the README\'s "The price of realism"); null when the run did not search a class subspace.',
      resolve: (r) => r.frontier,
    }),
  }),
});
