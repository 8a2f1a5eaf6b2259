import { type Executor, referencing, sqlState, UNIQUE_VIOLATION } from '../driver.ts';
import { ConflictError, InviteUnusableError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import { assertRole, type Membership, type Role, toMembership } from './teams.ts';
import { normaliseEmail } from './users.ts';

export interface Invite {
  id: string;
  teamId: string;
  email: string;
  role: Role;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  revokedAt: Date | null;
}

export interface NewInvite {
  teamId: string;
  email: string;
  role: Role;
  createdBy: string;
  expiresAt: Date;
}

export interface InviteRepository {
  /** Returns the token for the invite link once; only its SHA-256 is stored. */
  create(invite: NewInvite): Promise<{ invite: Invite; token: string }>;
  /** The invite behind a link, whatever its state (the accept page says why it cannot be used). */
  findByToken(token: string): Promise<(Invite & { teamName: string }) | null>;
  /** Newest first; `pendingOnly` leaves out accepted, revoked and expired ones. */
  listForTeam(teamId: string, options?: { pendingOnly?: boolean }): Promise<Invite[]>;
  /** False when `id` is not a pending invite of `teamId`. */
  revoke(id: string, teamId: string): Promise<boolean>;
  /**
   * Marks the invite accepted and adds the membership, in one transaction. Only the invited address can
   * accept (a forwarded link is useless). Throws InviteUnusableError (not found, expired, accepted, revoked,
   * email mismatch) or ConflictError (already a member); either way nothing changes.
   */
  accept(token: string, userId: string): Promise<Membership>;
}

interface InviteRow {
  id: string;
  team_id: string;
  email: string;
  role: Role;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
}

const COLUMNS =
  'id, team_id, email, role, created_by, created_at, expires_at, accepted_at, accepted_by, revoked_at';

const toInvite = (row: InviteRow): Invite => ({
  id: row.id,
  teamId: row.team_id,
  email: row.email,
  role: row.role,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedAt: row.accepted_at,
  acceptedBy: row.accepted_by,
  revokedAt: row.revoked_at,
});

export function createInviteRepository(db: Executor): InviteRepository {
  return {
    async create(invite) {
      assertRole(invite.role);
      const token = newSecret('inv');
      const { rows } = await referencing(
        db.query<InviteRow>(
          `INSERT INTO invites (id, team_id, email, role, token_hash, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [
            newId(),
            invite.teamId,
            normaliseEmail(invite.email),
            invite.role,
            hashSecret(token),
            invite.createdBy,
            invite.expiresAt,
          ],
        ),
      );
      return { invite: toInvite(rows[0]!), token };
    },

    async findByToken(token) {
      const { rows } = await db.query<InviteRow & { team_name: string }>(
        `SELECT i.id, i.team_id, i.email, i.role, i.created_by, i.created_at, i.expires_at, i.accepted_at,
                i.accepted_by, i.revoked_at, t.name AS team_name
         FROM invites i JOIN teams t ON t.id = i.team_id WHERE i.token_hash = $1`,
        [hashSecret(token)],
      );
      const row = rows[0];
      return row === undefined ? null : { ...toInvite(row), teamName: row.team_name };
    },

    async listForTeam(teamId, options = {}) {
      if (!isId(teamId)) return [];
      const pending = options.pendingOnly
        ? 'AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()'
        : '';
      const { rows } = await db.query<InviteRow>(
        `SELECT ${COLUMNS} FROM invites WHERE team_id = $1 ${pending} ORDER BY created_at DESC, id DESC`,
        [teamId],
      );
      return rows.map(toInvite);
    },

    async revoke(id, teamId) {
      if (!isId(id) || !isId(teamId)) return false;
      const { rowCount } = await db.query(
        `UPDATE invites SET revoked_at = now()
         WHERE id = $1 AND team_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
        [id, teamId],
      );
      return rowCount > 0;
    },

    accept(token, userId) {
      return db.transaction(async (tx) => {
        // FOR UPDATE: of two concurrent accepts of one invite, the second waits and then sees it accepted.
        const { rows } = await tx.query<InviteRow & { expired: boolean; user_email: string | null }>(
          `SELECT i.id, i.team_id, i.email, i.role, i.accepted_at, i.revoked_at, i.expires_at <= now() AS expired,
                  (SELECT email FROM users WHERE id = $2) AS user_email
           FROM invites i WHERE i.token_hash = $1 FOR UPDATE OF i`,
          [hashSecret(token), isId(userId) ? userId : null],
        );
        const invite = rows[0];
        if (invite === undefined) throw new InviteUnusableError('not_found');
        if (invite.revoked_at !== null) throw new InviteUnusableError('revoked');
        if (invite.accepted_at !== null) throw new InviteUnusableError('accepted');
        if (invite.expired) throw new InviteUnusableError('expired');
        if (invite.user_email === null || invite.user_email.toLowerCase() !== invite.email.toLowerCase())
          throw new InviteUnusableError('email_mismatch');
        // Claim the invite first: if the membership insert fails, the rollback un-claims it.
        await tx.query('UPDATE invites SET accepted_at = now(), accepted_by = $2 WHERE id = $1', [
          invite.id,
          userId,
        ]);
        try {
          const membership = await tx.query<{
            team_id: string;
            user_id: string;
            role: Role;
            created_at: Date;
          }>('INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3) RETURNING *', [
            invite.team_id,
            userId,
            invite.role,
          ]);
          return toMembership(membership.rows[0]!);
        } catch (error) {
          if (sqlState(error) === UNIQUE_VIOLATION)
            throw new ConflictError(
              'membership',
              `user ${userId} is already a member of team ${invite.team_id}`,
            );
          throw error;
        }
      });
    },
  };
}
