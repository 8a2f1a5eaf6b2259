import type { ModelSummary } from '@argmax/db';
import { requireTeamRole, requireViewer } from '../access.ts';
import { forbidden, notFound } from '../errors.ts';
import type { ApiContext } from '../graphql/apiContext.ts';
import { builder } from '../graphql/builder.ts';
import { seenAs, teamAccess } from '../visibility/seen.ts';
import { modelDataset, priorEnumName } from './modelDataset.ts';

/** The datasets whose prior a run may search in (NONE: the unconstrained box), and a model's dataset. */
export const PriorDatasetEnum = builder.enumType('PriorDataset', {
  values: {
    NONE: { description: 'No prior: the box (and any other constraints) only.' },
    FASHION_MNIST: { description: 'Fashion-MNIST: realistic 28×28 clothing images.' },
    MNIST: { description: 'MNIST: realistic 28×28 handwritten digits.' },
  },
});

const ModelArtifactsRef = builder
  .objectRef<{ modelJson: string; weights: Uint8Array }>('ModelArtifacts')
  .implement({
    description:
      'The model in TF.js layers format: save modelJson as model.json and the weights as weights.bin.',
    fields: (t) => ({
      modelJson: t.exposeString('modelJson'),
      weightsBase64: t.string({ resolve: (a) => Buffer.from(a.weights).toString('base64') }),
    }),
  });

export const ModelRef = builder.objectRef<ModelSummary>('Model').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    teamId: t.exposeID('teamId', {
      nullable: true,
      description: 'null for built-in models, shared by every team.',
    }),
    name: t.exposeString('name'),
    origin: t.exposeString('origin', { description: 'builtin, trained or uploaded.' }),
    inputShape: t.exposeIntList('inputShape'),
    outputCount: t.exposeInt('outputCount'),
    classNames: t.exposeStringList('classNames', { nullable: true }),
    dataset: t.field({
      type: PriorDatasetEnum,
      description:
        'The dataset the model takes (one 28×28 input and its ten class names; NONE when unknown): its prior makes realistic answers and measures every answer.',
      resolve: (m) => priorEnumName(modelDataset(m)),
    }),
    layerSummary: t.field({ type: 'JSON', resolve: (m) => m.layerSummary }),
    parameterCount: t.exposeInt('parameterCount'),
    weightsBytes: t.exposeInt('weightsBytes'),
    createdAt: t.field({ type: 'DateTime', resolve: (m) => m.createdAt }),
    artifacts: t.field({
      type: ModelArtifactsRef,
      description: 'Download in TF.js layers format.',
      resolve: async (m, _a, ctx) => {
        const artifacts = await ctx.storage.models.getArtifacts(m.id);
        if (!artifacts) throw notFound('model', m.id);
        return artifacts;
      },
    }),
  }),
});

/**
 * A model the caller may see: built-in (as every team's, read-only), or of a team they belong to (with at
 * least `atLeast`).
 */
export async function loadModel(
  ctx: ApiContext,
  id: string,
  atLeast: 'VIEWER' | 'MEMBER' = 'VIEWER',
): Promise<ModelSummary> {
  requireViewer(ctx);
  const model = await ctx.storage.models.get(id).catch(() => null);
  if (!model) throw notFound('model', id);
  if (model.teamId === null) {
    if (atLeast !== 'VIEWER') throw forbidden('built-in models cannot be changed');
    return seenAs(teamAccess('VIEWER'), model);
  }
  const role = await requireTeamRole(ctx, model.teamId, atLeast, 'model').catch((error) => {
    if ((error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND')
      throw notFound('model', id);
    throw error;
  });
  return seenAs(teamAccess(role), model);
}

builder.queryField('models', (t) =>
  t.field({
    type: [ModelRef],
    description: 'Built-in models first, then the team’s own.',
    args: { teamId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const role = await requireTeamRole(ctx, String(args.teamId), 'VIEWER');
      return seenAs(teamAccess(role), await ctx.storage.models.listForTeam(String(args.teamId)));
    },
  }),
);

builder.queryField('model', (t) =>
  t.field({
    type: ModelRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => loadModel(ctx, String(args.id)),
  }),
);

builder.mutationField('deleteModel', (t) =>
  t.boolean({
    description: 'Members and owners; refused while runs still use the model.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const model = await loadModel(ctx, String(args.id), 'MEMBER');
      return ctx.storage.models.delete(model.id);
    },
  }),
);
