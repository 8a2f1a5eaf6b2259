import type { Role } from '@argmax/db';

/**
 * Who may read which fields, in one table. A root field decides how its caller reached the object it
 * returns (the access "way": a team role, a share link, the user themself, an invite token, anyone) and
 * tags it; every nested field is then checked against this table and passes the same access down
 * (`enforceVisibility.ts`). So a field reached through a share link shows what the link may show, whatever
 * path leads to it, and a field nobody listed is readable by nobody.
 */
export type Access =
  | { way: 'team'; role: Role }
  | { way: 'shareLink' }
  | { way: 'self' }
  | { way: 'invitee' }
  | { way: 'anyone' };

/**
 * Who a rule names: team roles (each includes the ones above it: a `viewer` field is also an owner's),
 * a share-link holder (signed in or not), the signed-in user about themself, an invite token's holder,
 * or anyone at all.
 */
export type Audience = 'viewer' | 'member' | 'owner' | 'shareLink' | 'self' | 'invitee' | 'anyone';

const ALL = '*';
type Fields = typeof ALL | readonly string[];
export type TypeRule = Partial<Record<Audience, Fields>>;

/** What a share link shows of a run: what the run page shows, without the team's internals. */
const SHARED_RUN_FIELDS = [
  'id',
  'status',
  'error',
  'method',
  'createdAt',
  'startedAt',
  'finishedAt',
  'spec',
  'budget',
  'inputShape',
  'value',
  'violation',
  'outputs',
  'certificate',
  'model',
  'creator',
  'bestInput',
  'finalInput',
  'bestImage',
  'stepCount',
  'steps',
  'snapshotSteps',
  'snapshot',
  'realism',
  'accentuation',
  'prototypes',
] as const;

const teamAndLink: TypeRule = { viewer: ALL, shareLink: ALL };

/** Every object type of the schema, by GraphQL name (checked when the schema is built). */
export const visibility: Record<string, TypeRule> = {
  Team: { viewer: ['id', 'name', 'myRole', 'members'], owner: ALL },
  Member: { viewer: ALL },
  Invite: { owner: ALL },
  CreatedInvite: { owner: ALL },
  InvitePreview: { invitee: ALL },
  // Teammates see each other's e-mail; through a share link only the display name.
  User: { self: ALL, viewer: ALL, shareLink: ['displayName'] },
  ApiToken: { self: ALL },
  CreatedApiToken: { self: ALL },
  SystemInfo: { anyone: ALL },
  // Through a share link: what the run page shows of the model, never its weights or layers.
  Model: { viewer: ALL, shareLink: ['name', 'inputShape', 'outputCount', 'classNames', 'dataset'] },
  ModelArtifacts: { viewer: ALL },
  TrainingJob: { viewer: ALL },
  TrainingEvent: { viewer: ALL },
  // Not through a share link: the team, and where and how fast the run was executed.
  Run: { viewer: ALL, shareLink: SHARED_RUN_FIELDS },
  RunPage: { viewer: ALL },
  RunStep: teamAndLink,
  // The run's validated request: what the run page shows.
  RunSpec: teamAndLink,
  RunObjective: teamAndLink,
  RunConstraints: teamAndLink,
  RunBox: teamAndLink,
  RunBall: teamAndLink,
  RunMask: teamAndLink,
  RunLinearConstraint: teamAndLink,
  RunRegularizers: teamAndLink,
  RunSnapshot: teamAndLink,
  RunBudget: teamAndLink,
  RunBudgetCut: teamAndLink,
  RunCertificate: teamAndLink,
  // How realistic the run's answer is: about the answer, so the link shows it.
  RunRealism: teamAndLink,
  RealismNearest: teamAndLink,
  RealismManifold: teamAndLink,
  RealismJudge: teamAndLink,
  RealismCriteria: teamAndLink,
  RealismFrontierPoint: teamAndLink,
  RunAccentuation: teamAndLink,
  RunPrototype: teamAndLink,
  CertificateBound: teamAndLink,
  RunStatusEvent: teamAndLink,
  RunStepEvent: teamAndLink,
  RunBoundEvent: teamAndLink,
  ShareLink: { viewer: ALL },
  CreatedShareLink: { member: ALL },
};

const rank: Record<Role, number> = { VIEWER: 0, MEMBER: 1, OWNER: 2 };
export const roleAtLeast = (role: Role, atLeast: Role) => rank[role] >= rank[atLeast];
const roleOf: Partial<Record<Audience, Role>> = { viewer: 'VIEWER', member: 'MEMBER', owner: 'OWNER' };

function admits(audience: Audience, access: Access): boolean {
  if (audience === 'anyone') return true;
  const role = roleOf[audience];
  if (role) return access.way === 'team' && roleAtLeast(access.role, role);
  return access.way === audience;
}

const lists = (fields: Fields | undefined, field: string) =>
  fields === ALL || (fields?.includes(field) ?? false);

/** Whether `access` may read `type.field`. */
export function mayRead(access: Access, type: string, field: string): boolean {
  const rule = visibility[type];
  if (!rule) return false;
  return (Object.entries(rule) as [Audience, Fields][]).some(
    ([audience, fields]) => admits(audience, access) && lists(fields, field),
  );
}

/** How to name an access in an error message. */
export const describeAccess = (access: Access): string =>
  access.way === 'team'
    ? `the ${access.role} role`
    : access.way === 'shareLink'
      ? 'a share link'
      : access.way;
