import { z } from 'zod';
import { requireTeamRole } from '../access.ts';
import { builder } from '../graphql/builder.ts';
import { parseInput } from '../validation.ts';
import { seenAs, teamAccess } from '../visibility/seen.ts';
import { ModelRef } from './modelTypes.ts';
import { importUploadedModel } from './modelUploads.ts';

builder.scalarType('File', {
  description:
    'A file in a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec).',
  serialize: () => {
    throw new Error('File is an input-only scalar');
  },
});

builder.mutationField('uploadModel', (t) =>
  t.field({
    type: ModelRef,
    description:
      'Members: import a Keras 3 .keras, a Keras 2 .h5, or a TF.js model.json with its weight shards. The model is verified by a forward pass before it is stored.',
    args: {
      teamId: t.arg.id({ required: true }),
      name: t.arg.string({ required: true }),
      files: t.arg({ type: ['File'], required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const teamId = String(args.teamId);
      const role = await requireTeamRole(ctx, teamId, 'MEMBER');
      const { name } = parseInput(z.object({ name: z.string().trim().min(1).max(100) }), args);
      const files = await Promise.all(
        (args.files as File[]).map(async (file) => ({
          name: file.name,
          bytes: new Uint8Array(await file.arrayBuffer()),
        })),
      );
      const model = await importUploadedModel(
        {
          storage: ctx.storage,
          pool: ctx.services.pool,
          maxUploadBytes: ctx.services.config.limits.maxUploadBytes,
        },
        { teamId, creatorId: ctx.viewer!.user.id, name, files },
      );
      return seenAs(teamAccess(role), model);
    },
  }),
);
