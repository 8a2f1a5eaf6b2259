import type { Run } from '@argmax/db/repositories/runs';
import type { Role } from '@argmax/db/repositories/teams';
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

/** The run, seen with the caller's role in its team. */
export async function loadRun(ctx: ApiContext, runId: string, atLeast: Role): Promise<Run> {
  requireViewer(ctx);
  const run = await ctx.storage.runs.get(runId).catch(() => null);
  if (!run) throw notFound('run', runId);
  const role = await requireTeamRole(ctx, run.teamId, atLeast, 'run').catch((error) => {
    // Outsiders learn nothing about the run, not even that the team exists.
    if ((error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND')
      throw notFound('run', runId);
    throw error;
  });
  return seenAs(teamAccess(role), run);
}
