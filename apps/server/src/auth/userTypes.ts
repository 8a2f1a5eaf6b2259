import type { ApiToken, User } from '@argmax/db';
import { z } from 'zod';
import { requireViewer } from '../access.ts';
import { ApiError, notFound, unauthenticated } from '../errors.ts';
import type { ApiContext } from '../graphql/apiContext.ts';
import { builder } from '../graphql/builder.ts';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../http/sessionCookie.ts';
import { parseInput } from '../validation.ts';
import { SELF, seenAs } from '../visibility/seen.ts';

export const UserRef = builder.objectRef<User>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    displayName: t.exposeString('displayName', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (u) => u.createdAt }),
  }),
});

const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    createdAt: t.field({ type: 'DateTime', resolve: (x) => x.createdAt }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.expiresAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.revokedAt }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.lastUsedAt }),
  }),
});

const CreatedApiToken = builder.objectRef<{ token: ApiToken; secret: string }>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.field({ type: ApiTokenRef, resolve: (x) => x.token }),
    secret: t.exposeString('secret', {
      description: 'Shown once: send it as `Authorization: Bearer <secret>`.',
    }),
  }),
});

const credentials = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address').max(254),
  password: z.string().min(8, 'must have at least 8 characters').max(256),
});

const SESSION_DAYS = 30;

async function startSession(ctx: ApiContext, user: User): Promise<void> {
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  const { secret } = await ctx.storage.sessions.create(user.id, expiresAt);
  await setSessionCookie(ctx, SESSION_COOKIE, secret, expiresAt);
}

builder.queryField('me', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: 'The signed-in user, or null.',
    resolve: (_r, _a, ctx) => seenAs(SELF, ctx.viewer?.user ?? null),
  }),
);

builder.queryField('apiTokens', (t) =>
  t.field({
    type: [ApiTokenRef],
    resolve: async (_r, _a, ctx) =>
      seenAs(SELF, await ctx.storage.apiTokens.listForUser(requireViewer(ctx).user.id)),
  }),
);

builder.mutationField('signUp', (t) =>
  t.field({
    type: UserRef,
    description: 'Creates an account and a personal team, and signs in (session cookie).',
    args: {
      email: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
      displayName: t.arg.string(),
    },
    resolve: async (_r, args, ctx) => {
      const input = parseInput(
        credentials.extend({ displayName: z.string().trim().max(100).nullish() }),
        args,
      );
      if (await ctx.storage.users.findByEmail(input.email))
        throw new ApiError('CONFLICT', `email: ${input.email} already has an account; sign in instead`, {
          field: 'email',
        });
      const passwordHash = await ctx.services.passwords.hash(input.password);
      const user = await ctx.storage.transaction(async (repos) => {
        const created = await repos.users.create({
          email: input.email,
          passwordHash,
          displayName: input.displayName ?? null,
        });
        await repos.teams.create({
          name: `${input.displayName || input.email.split('@')[0]}'s team`,
          ownerId: created.id,
        });
        return created;
      });
      await startSession(ctx, user);
      return seenAs(SELF, user);
    },
  }),
);

builder.mutationField('signIn', (t) =>
  t.field({
    type: UserRef,
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const email = String(args.email).trim().toLowerCase();
      const user = await ctx.services.signIn.attempt(email, ctx.clientAddress, async () => {
        const found = await ctx.storage.users.findCredentialsByEmail(email);
        return found && (await ctx.services.passwords.verify(found.passwordHash, args.password))
          ? found.user
          : null;
      });
      // Same message for unknown email and wrong password: no account probing.
      if (!user) throw unauthenticated('email or password is wrong');
      await startSession(ctx, user);
      return seenAs(SELF, user);
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    resolve: async (_r, _a, ctx) => {
      if (ctx.viewer?.sessionSecret) await ctx.storage.sessions.revokeBySecret(ctx.viewer.sessionSecret);
      await clearSessionCookie(ctx, SESSION_COOKIE);
      return true;
    },
  }),
);

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreatedApiToken,
    args: { name: t.arg.string({ required: true }), expiresInDays: t.arg.int() },
    resolve: async (_r, args, ctx) => {
      const viewer = requireViewer(ctx);
      const input = parseInput(
        z.object({
          name: z.string().trim().min(1).max(100),
          expiresInDays: z.number().int().min(1).max(3650).nullish(),
        }),
        args,
      );
      const active = (await ctx.storage.apiTokens.listForUser(viewer.user.id)).filter((x) => !x.revokedAt);
      if (active.length >= 50)
        throw new ApiError('LIMIT_EXCEEDED', 'at most 50 active API tokens; revoke one first', {
          limit: 'maxApiTokens',
        });
      const created = await ctx.storage.apiTokens.create({
        userId: viewer.user.id,
        name: input.name,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      });
      return seenAs(SELF, created);
    },
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.boolean({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const viewer = requireViewer(ctx);
      const revoked = await ctx.storage.apiTokens.revoke(String(args.id), viewer.user.id).catch(() => false);
      if (!revoked) throw notFound('API token', String(args.id));
      return true;
    },
  }),
);
