import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, referencing, sqlState, UNIQUE_VIOLATION } from '../driver.ts';
import { ConflictError, LastOwnerError, NotFoundError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import { toUser, type User } from './users.ts';

export const ROLES = ['OWNER', 'MEMBER', 'VIEWER'] as const;
/** Viewers read; members also create and cancel; owners also manage members. */
export type Role = (typeof ROLES)[number];

export interface Team {
  id: string;
  name: string;
  createdAt: Date;
}

export interface Membership {
  teamId: string;
  userId: string;
  role: Role;
  createdAt: Date;
}

export interface TeamRepository {
  /** The team and its creator's OWNER membership, in one transaction. */
  create(team: { name: string; ownerId: string }): Promise<{ team: Team; membership: Membership }>;
  get(id: string): Promise<Team | null>;
  rename(id: string, name: string): Promise<Team>;
  /** Deletes the team with its members, invites, models, runs and share links. */
  delete(id: string): Promise<boolean>;
  /** The teams a user belongs to, oldest membership first, with the user's role in each. */
  listForUser(userId: string): Promise<Array<{ team: Team; role: Role }>>;
  /** The user's role in the team; null when not a member (or either ID does not exist). */
  roleOf(teamId: string, userId: string): Promise<Role | null>;
  /** Owners first, then members, then viewers; each group by join date. */
  listMembers(teamId: string): Promise<Array<Membership & { user: User }>>;
  /** Throws ConflictError when the user is already a member. */
  addMember(teamId: string, userId: string, role: Role): Promise<Membership>;
  /** Throws NotFoundError for a non-member, LastOwnerError when it would leave the team without an owner. */
  setRole(teamId: string, userId: string, role: Role): Promise<Membership>;
  /** Remove or leave. False for a non-member; LastOwnerError for the last owner. */
  removeMember(teamId: string, userId: string): Promise<boolean>;
}

interface TeamRow {
  id: string;
  name: string;
  created_at: Date;
}

interface MembershipRow {
  team_id: string;
  user_id: string;
  role: Role;
  created_at: Date;
}

const toTeam = (row: TeamRow): Team => ({ id: row.id, name: row.name, createdAt: row.created_at });

export const toMembership = (row: MembershipRow): Membership => ({
  teamId: row.team_id,
  userId: row.user_id,
  role: row.role,
  createdAt: row.created_at,
});

export function assertRole(role: string): asserts role is Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new InvalidArgumentError('role', role, ROLES.join(' | '));
}

function teamName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100)
    throw new InvalidArgumentError('name', name, 'a team name of 1 to 100 characters');
  return trimmed;
}

/**
 * Locks the team row: membership changes of one team run one after the other, so two owners demoting each
 * other at the same moment cannot leave the team without an owner.
 */
async function lockTeam(tx: Executor, teamId: string): Promise<void> {
  const { rows } = isId(teamId)
    ? await tx.query('SELECT id FROM teams WHERE id = $1 FOR UPDATE', [teamId])
    : { rows: [] };
  if (rows.length === 0) throw new NotFoundError('team', teamId);
}

async function isLastOwner(tx: Executor, teamId: string, userId: string): Promise<boolean> {
  const { rows } = await tx.query<{ role: Role; owners: number }>(
    `SELECT role, (SELECT count(*)::int FROM memberships WHERE team_id = $1 AND role = 'OWNER') AS owners
     FROM memberships WHERE team_id = $1 AND user_id = $2`,
    [teamId, userId],
  );
  const row = rows[0];
  return row !== undefined && row.role === 'OWNER' && row.owners <= 1;
}

export function createTeamRepository(db: Executor): TeamRepository {
  return {
    create({ name, ownerId }) {
      const validName = teamName(name);
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<TeamRow>(
          'INSERT INTO teams (id, name) VALUES ($1, $2) RETURNING id, name, created_at',
          [newId(), validName],
        );
        const team = toTeam(rows[0]!);
        const membership = await referencing(
          tx.query<MembershipRow>(
            `INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'OWNER') RETURNING *`,
            [team.id, ownerId],
          ),
        );
        return { team, membership: toMembership(membership.rows[0]!) };
      });
    },

    async get(id) {
      if (!isId(id)) return null;
      const { rows } = await db.query<TeamRow>('SELECT id, name, created_at FROM teams WHERE id = $1', [id]);
      return rows[0] === undefined ? null : toTeam(rows[0]);
    },

    async rename(id, name) {
      const validName = teamName(name);
      const { rows } = isId(id)
        ? await db.query<TeamRow>('UPDATE teams SET name = $2 WHERE id = $1 RETURNING id, name, created_at', [
            id,
            validName,
          ])
        : { rows: [] };
      if (rows[0] === undefined) throw new NotFoundError('team', id);
      return toTeam(rows[0]);
    },

    async delete(id) {
      if (!isId(id)) return false;
      const { rowCount } = await db.query('DELETE FROM teams WHERE id = $1', [id]);
      return rowCount > 0;
    },

    async listForUser(userId) {
      if (!isId(userId)) return [];
      const { rows } = await db.query<TeamRow & { role: Role }>(
        `SELECT t.id, t.name, t.created_at, m.role FROM memberships m JOIN teams t ON t.id = m.team_id
         WHERE m.user_id = $1 ORDER BY m.created_at, t.id`,
        [userId],
      );
      return rows.map((row) => ({ team: toTeam(row), role: row.role }));
    },

    async roleOf(teamId, userId) {
      if (!isId(teamId) || !isId(userId)) return null;
      const { rows } = await db.query<{ role: Role }>(
        'SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2',
        [teamId, userId],
      );
      return rows[0]?.role ?? null;
    },

    async listMembers(teamId) {
      if (!isId(teamId)) return [];
      const { rows } = await db.query<
        MembershipRow & { email: string; display_name: string | null; user_created_at: Date }
      >(
        `SELECT m.team_id, m.user_id, m.role, m.created_at, u.email, u.display_name, u.created_at AS user_created_at
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1
         ORDER BY CASE m.role WHEN 'OWNER' THEN 0 WHEN 'MEMBER' THEN 1 ELSE 2 END, m.created_at, m.user_id`,
        [teamId],
      );
      return rows.map((row) => ({
        ...toMembership(row),
        user: toUser({ ...row, id: row.user_id, created_at: row.user_created_at }),
      }));
    },

    async addMember(teamId, userId, role) {
      assertRole(role);
      try {
        const { rows } = await referencing(
          db.query<MembershipRow>(
            'INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3) RETURNING *',
            [teamId, userId, role],
          ),
        );
        return toMembership(rows[0]!);
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION)
          throw new ConflictError('membership', `user ${userId} is already a member of team ${teamId}`);
        throw error;
      }
    },

    setRole(teamId, userId, role) {
      assertRole(role);
      return db.transaction(async (tx) => {
        await lockTeam(tx, teamId);
        if (role !== 'OWNER' && (await isLastOwner(tx, teamId, userId))) throw new LastOwnerError(teamId);
        const { rows } = isId(userId)
          ? await tx.query<MembershipRow>(
              'UPDATE memberships SET role = $3 WHERE team_id = $1 AND user_id = $2 RETURNING *',
              [teamId, userId, role],
            )
          : { rows: [] };
        if (rows[0] === undefined) throw new NotFoundError('membership', userId);
        return toMembership(rows[0]);
      });
    },

    async removeMember(teamId, userId) {
      if (!isId(teamId) || !isId(userId)) return false;
      return db.transaction(async (tx) => {
        await lockTeam(tx, teamId);
        if (await isLastOwner(tx, teamId, userId)) throw new LastOwnerError(teamId);
        const { rowCount } = await tx.query('DELETE FROM memberships WHERE team_id = $1 AND user_id = $2', [
          teamId,
          userId,
        ]);
        return rowCount > 0;
      });
    },
  };
}
