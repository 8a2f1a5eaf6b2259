import type { ShareLink } from '@argmax/db';
import { loadRun } from '../access.ts';
import { notFound } from '../errors.ts';
import { builder } from '../graphql/builder.ts';
import { SHARE_LINK, seenAs, seenLike } from '../visibility/seen.ts';
import { RunRef } from './runTypes.ts';

const ShareLinkRef = builder.objectRef<ShareLink>('ShareLink').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    runId: t.exposeID('runId'),
    createdAt: t.field({ type: 'DateTime', resolve: (l) => l.createdAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (l) => l.revokedAt }),
  }),
});

const CreatedShareLink = builder.objectRef<{ link: ShareLink; token: string }>('CreatedShareLink').implement({
  fields: (t) => ({
    link: t.field({ type: ShareLinkRef, resolve: (x) => x.link }),
    token: t.exposeString('token', {
      description: 'Opens the run read-only with no account: sharedRun(token).',
    }),
  }),
});

builder.mutationField('createShareLink', (t) =>
  t.field({
    type: CreatedShareLink,
    args: { runId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const run = await loadRun(ctx, String(args.runId), 'MEMBER');
      return seenLike(run, await ctx.storage.shareLinks.create(run.id, ctx.viewer!.user.id));
    },
  }),
);

builder.mutationField('revokeShareLink', (t) =>
  t.boolean({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const link = await ctx.storage.shareLinks.get(String(args.id)).catch(() => null);
      if (!link) throw notFound('share link', String(args.id));
      await loadRun(ctx, link.runId, 'MEMBER');
      return ctx.storage.shareLinks.revoke(link.id);
    },
  }),
);

builder.queryField('shareLinks', (t) =>
  t.field({
    type: [ShareLinkRef],
    args: { runId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const run = await loadRun(ctx, String(args.runId), 'VIEWER');
      return seenLike(run, await ctx.storage.shareLinks.listForRun(run.id));
    },
  }),
);

builder.queryField('sharedRun', (t) =>
  t.field({
    type: RunRef,
    description:
      'A run opened through a share link; needs no account. It shows what the run page shows; the team, the model’s weights and layers, and e-mail addresses are FORBIDDEN.',
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const link = await ctx.storage.shareLinks.findValid(args.token);
      const run = link ? await ctx.storage.runs.get(link.runId) : null;
      if (!run) throw notFound('shared run', 'for this link');
      return seenAs(SHARE_LINK, run);
    },
  }),
);
