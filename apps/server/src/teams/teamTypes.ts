import { type Invite, type Membership, ROLES, type Role, type Team, type User } from '@argmax/db';
import { z } from 'zod';
import { requireTeamRole, requireViewer } from '../access.ts';
import { UserRef } from '../auth/userTypes.ts';
import { ApiError, badInput, notFound } from '../errors.ts';
import { builder } from '../graphql/builder.ts';
import { parseInput } from '../validation.ts';
import { INVITEE, seenAs, teamAccess } from '../visibility/seen.ts';

export const RoleEnum = builder.enumType('Role', {
  values: ROLES,
  description: 'VIEWER reads; MEMBER also creates and cancels runs and models; OWNER also manages members.',
});

/** A team as one caller sees it: with the caller's role (tagged with it too: `teamView`). */
export interface TeamView {
  team: Team;
  role: Role;
}

const MemberRef = builder.objectRef<Membership & { user: User }>('Member').implement({
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (m) => m.user }),
    role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
  }),
});

const InviteRef = builder.objectRef<Invite>('Invite').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    role: t.field({ type: RoleEnum, resolve: (i) => i.role }),
    createdAt: t.field({ type: 'DateTime', resolve: (i) => i.createdAt }),
    expiresAt: t.field({ type: 'DateTime', resolve: (i) => i.expiresAt }),
    acceptedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.acceptedAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.revokedAt }),
  }),
});

export const TeamRef = builder.objectRef<TeamView>('Team').implement({
  fields: (t) => ({
    id: t.field({ type: 'ID', resolve: (v) => v.team.id }),
    name: t.field({ type: 'String', resolve: (v) => v.team.name }),
    myRole: t.field({ type: RoleEnum, resolve: (v) => v.role }),
    members: t.field({
      type: [MemberRef],
      resolve: (v, _a, ctx) => ctx.storage.teams.listMembers(v.team.id),
    }),
    invites: t.field({
      type: [InviteRef],
      description: 'Pending invites; owners only.',
      resolve: (v, _a, ctx) => ctx.storage.invites.listForTeam(v.team.id, { pendingOnly: true }),
    }),
  }),
});

const CreatedInvite = builder.objectRef<{ invite: Invite; token: string }>('CreatedInvite').implement({
  fields: (t) => ({
    invite: t.field({ type: InviteRef, resolve: (x) => x.invite }),
    token: t.exposeString('token', {
      description: 'Give the invitee this token (or the link built from it); shown once.',
    }),
  }),
});

const InvitePreview = builder.objectRef<Invite & { teamName: string }>('InvitePreview').implement({
  fields: (t) => ({
    teamName: t.exposeString('teamName'),
    email: t.exposeString('email'),
    role: t.field({ type: RoleEnum, resolve: (i) => i.role }),
    usable: t.boolean({
      resolve: (i) => !i.acceptedAt && !i.revokedAt && i.expiresAt.getTime() > Date.now(),
    }),
  }),
});

const teamView = (team: Team, role: Role): TeamView => seenAs(teamAccess(role), { team, role });

export async function loadTeamView(
  ctx: Parameters<typeof requireTeamRole>[0],
  teamId: string,
  atLeast: Role = 'VIEWER',
): Promise<TeamView> {
  const role = await requireTeamRole(ctx, teamId, atLeast);
  const team = await ctx.storage.teams.get(teamId);
  if (!team) throw notFound('team', teamId);
  return teamView(team, role);
}

builder.queryField('teams', (t) =>
  t.field({
    type: [TeamRef],
    resolve: async (_r, _a, ctx) =>
      (await ctx.storage.teams.listForUser(requireViewer(ctx).user.id)).map(({ team, role }) =>
        teamView(team, role),
      ),
  }),
);

builder.queryField('team', (t) =>
  t.field({
    type: TeamRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => loadTeamView(ctx, String(args.id)),
  }),
);

builder.queryField('invite', (t) =>
  t.field({
    type: InvitePreview,
    description: 'What an invite token is for, before accepting it.',
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      requireViewer(ctx);
      const invite = await ctx.storage.invites.findByToken(args.token);
      if (!invite) throw notFound('invite', 'for this token');
      return seenAs(INVITEE, invite);
    },
  }),
);

const teamName = z.object({ name: z.string().trim().min(1, 'must not be empty').max(100) });

builder.mutationField('createTeam', (t) =>
  t.field({
    type: TeamRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const viewer = requireViewer(ctx);
      const { name } = parseInput(teamName, args);
      const { team } = await ctx.storage.teams.create({ name, ownerId: viewer.user.id });
      return teamView(team, 'OWNER');
    },
  }),
);

builder.mutationField('renameTeam', (t) =>
  t.field({
    type: TeamRef,
    args: { teamId: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const role = await requireTeamRole(ctx, String(args.teamId), 'OWNER');
      const { name } = parseInput(teamName, args);
      return teamView(await ctx.storage.teams.rename(String(args.teamId), name), role);
    },
  }),
);

builder.mutationField('inviteMember', (t) =>
  t.field({
    type: CreatedInvite,
    description: 'Owners only. No mail is sent: the token comes back to give to the invitee.',
    args: {
      teamId: t.arg.id({ required: true }),
      email: t.arg.string({ required: true }),
      role: t.arg({ type: RoleEnum, required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const teamId = String(args.teamId);
      const callerRole = await requireTeamRole(ctx, teamId, 'OWNER');
      const { email } = parseInput(
        z.object({ email: z.string().trim().toLowerCase().email('must be an email address') }),
        args,
      );
      const created = await ctx.storage.invites.create({
        teamId,
        email,
        role: args.role,
        createdBy: requireViewer(ctx).user.id,
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
      });
      return seenAs(teamAccess(callerRole), created);
    },
  }),
);

builder.mutationField('acceptInvite', (t) =>
  t.field({
    type: TeamRef,
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      requireViewer(ctx);
      const membership = await ctx.storage.invites.accept(args.token, requireViewer(ctx).user.id);
      return loadTeamView(ctx, membership.teamId);
    },
  }),
);

builder.mutationField('revokeInvite', (t) =>
  t.boolean({
    args: { teamId: t.arg.id({ required: true }), inviteId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      await requireTeamRole(ctx, String(args.teamId), 'OWNER');
      if (!(await ctx.storage.invites.revoke(String(args.inviteId), String(args.teamId)).catch(() => false)))
        throw notFound('invite', String(args.inviteId));
      return true;
    },
  }),
);

builder.mutationField('changeRole', (t) =>
  t.field({
    type: MemberRef,
    args: {
      teamId: t.arg.id({ required: true }),
      userId: t.arg.id({ required: true }),
      role: t.arg({ type: RoleEnum, required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const teamId = String(args.teamId);
      const callerRole = await requireTeamRole(ctx, teamId, 'OWNER');
      const membership = await ctx.storage.teams.setRole(teamId, String(args.userId), args.role);
      const user = await ctx.storage.users.get(membership.userId);
      if (!user) throw notFound('user', membership.userId);
      return seenAs(teamAccess(callerRole), { ...membership, user });
    },
  }),
);

builder.mutationField('removeMember', (t) =>
  t.boolean({
    args: { teamId: t.arg.id({ required: true }), userId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const teamId = String(args.teamId);
      await requireTeamRole(ctx, teamId, 'OWNER');
      if (!(await ctx.storage.teams.removeMember(teamId, String(args.userId))))
        throw notFound('member', String(args.userId));
      return true;
    },
  }),
);

builder.mutationField('leaveTeam', (t) =>
  t.boolean({
    args: { teamId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const teamId = String(args.teamId);
      await requireTeamRole(ctx, teamId, 'VIEWER');
      const removed = await ctx.storage.teams.removeMember(teamId, requireViewer(ctx).user.id);
      if (!removed) throw badInput('teamId', 'you are not a member of this team');
      return true;
    },
  }),
);

export { ApiError };
