import type { Role, Run } from '@argmax/db';
import { forbidden, notFound, unauthenticated } from './errors.ts';
import type { ApiContext, Viewer } from './graphql/apiContext.ts';
import { roleAtLeast } from './visibility/policy.ts';
import { seenAs, teamAccess } from './visibility/seen.ts';

/**
 * Who may reach what, for root fields. Roles rank VIEWER < MEMBER < OWNER: viewers read, members create and
 * cancel, owners manage members. A caller outside the team gets NOT_FOUND, never FORBIDDEN, so IDs of
 * other teams' things cannot be probed. What is read below a root field is `visibility/policy.ts`'s.
 */
export function requireViewer(ctx: ApiContext): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

/** The caller's role in the team, checked against `atLeast`. */
export async function requireTeamRole(
  ctx: ApiContext,
  teamId: string,
  atLeast: Role,
  what = 'team',
): Promise<Role> {
  const viewer = requireViewer(ctx);
  const role = await ctx.storage.teams.roleOf(teamId, viewer.user.id).catch(() => null);
  if (!role) throw notFound(what, teamId);
  if (!roleAtLeast(role, atLeast))
    throw forbidden(`this needs the ${atLeast} role in the team; you are ${role}`);
  return role;
}

/**
 * A team's item (a run, a training job) by ID, seen with the caller's role in its team. Outsiders learn
 * nothing about it, not even that the team exists: NOT_FOUND names the item.
 */
export async function loadTeamItem<Item extends { teamId: string }>(
  ctx: ApiContext,
  what: string,
  id: string,
  load: (id: string) => Promise<Item | null>,
  atLeast: Role,
): Promise<Item> {
  requireViewer(ctx);
  const item = await load(id).catch(() => null);
  if (!item) throw notFound(what, id);
  const role = await requireTeamRole(ctx, item.teamId, atLeast, what).catch((error) => {
    if ((error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND')
      throw notFound(what, id);
    throw error;
  });
  return seenAs(teamAccess(role), item);
}

/** The run, seen with the caller's role in its team. */
export const loadRun = (ctx: ApiContext, runId: string, atLeast: Role): Promise<Run> =>
  loadTeamItem(ctx, 'run', runId, (id) => ctx.storage.runs.get(id), atLeast);
