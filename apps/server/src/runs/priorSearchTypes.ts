import { builder } from '../graphql/builder.ts';
import { RealisticPointRef } from './realismTypes.ts';
import { type RunPriorSearch, readRunPriorSearch } from './runPriorSearch.ts';
import { RunRef } from './runTypes.ts';

/** `Run.accentuation` and `Run.prototypes`: what a search in a prior found beside its answer (`runPriorSearch.ts`). */

const RunAccentuationRef = builder
  .objectRef<NonNullable<RunPriorSearch['anchor']>>('RunAccentuation')
  .implement({
    description:
      "The real image an accentuated run started from and stayed near: the search's centre is its projection onto the class subspace, within `radius` of it.",
    fields: (t) => ({
      anchorIndex: t.exposeInt('index', {
        nullable: true,
        description: "The anchor's row of the prior's training sample; null for your reference image.",
      }),
      anchorImage: t.exposeString('image', { nullable: true, description: 'PNG data URL of the anchor.' }),
      anchorValue: t.exposeFloat('value', { description: 'The objective at the anchor itself.' }),
      centreValue: t.exposeFloat('centreValue', {
        description: "The objective at the anchor's projection (the answer is never below it).",
      }),
      radius: t.exposeFloat('radius', { description: 'Latent ball radius searched around the projection.' }),
      improved: t.exposeBoolean('improved', {
        description: 'False when nothing searched beat the projection, which is then the answer.',
      }),
    }),
  });

const RunPrototypeRef = builder
  .objectRef<NonNullable<RunPriorSearch['prototypes']>[number]>('RunPrototype')
  .implement({
    description:
      'One of the distinct realistic prototypes of the class (a diverse run), with its value and realism.',
    interfaces: [RealisticPointRef],
  });

builder.objectFields(RunRef, (t) => ({
  accentuation: t.field({
    type: RunAccentuationRef,
    nullable: true,
    description:
      'An accentuated run (StartRunInput.accentuate): its anchor. Null otherwise and while running.',
    resolve: (r) => readRunPriorSearch(r)?.anchor ?? null,
  }),
  prototypes: t.field({
    type: [RunPrototypeRef],
    nullable: true,
    description:
      'A diverse run (StartRunInput.diverse): its distinct realistic prototypes, strongest first. Null otherwise and while running.',
    resolve: (r) => readRunPriorSearch(r)?.prototypes ?? null,
  }),
}));
