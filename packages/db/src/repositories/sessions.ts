import { type Executor, referencing } from '../driver.ts';
import { NotFoundError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import { toUser, type User } from './users.ts';

export interface Session {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface SessionRepository {
  /** Returns the secret for the cookie; it is not stored and cannot be read back. */
  create(userId: string, expiresAt: Date): Promise<{ session: Session; secret: string }>;
  /** The session and its user when the secret matches one that is neither revoked nor expired. */
  findValid(secret: string): Promise<{ session: Session; user: User } | null>;
  /** Sliding expiry: push the end of an active session further out. */
  extend(id: string, expiresAt: Date): Promise<void>;
  /** Sign-out. False when there was no active session with that secret. */
  revokeBySecret(secret: string): Promise<boolean>;
  /** Signs the user out everywhere (after a password change); returns how many sessions ended. */
  revokeAllForUser(userId: string): Promise<number>;
  /** Housekeeping: removes sessions that expired or were revoked before `before`. */
  deleteEndedBefore(before: Date): Promise<number>;
}

interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, user_id, created_at, expires_at, revoked_at';

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

export function createSessionRepository(db: Executor): SessionRepository {
  return {
    async create(userId, expiresAt) {
      const secret = newSecret('sess');
      const { rows } = await referencing(
        db.query<SessionRow>(
          `INSERT INTO sessions (id, user_id, secret_hash, expires_at) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
          [newId(), userId, hashSecret(secret), expiresAt],
        ),
      );
      return { session: toSession(rows[0]!), secret };
    },

    async findValid(secret) {
      const { rows } = await db.query<
        SessionRow & { email: string; display_name: string | null; user_created_at: Date }
      >(
        `SELECT s.id, s.user_id, s.created_at, s.expires_at, s.revoked_at,
                u.email, u.display_name, u.created_at AS user_created_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.secret_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        [hashSecret(secret)],
      );
      const row = rows[0];
      if (row === undefined) return null;
      return {
        session: toSession(row),
        user: toUser({ ...row, id: row.user_id, created_at: row.user_created_at }),
      };
    },

    async extend(id, expiresAt) {
      const { rowCount } = isId(id)
        ? await db.query('UPDATE sessions SET expires_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
            id,
            expiresAt,
          ])
        : { rowCount: 0 };
      if (rowCount === 0) throw new NotFoundError('session', id);
    },

    async revokeBySecret(secret) {
      const { rowCount } = await db.query(
        'UPDATE sessions SET revoked_at = now() WHERE secret_hash = $1 AND revoked_at IS NULL AND expires_at > now()',
        [hashSecret(secret)],
      );
      return rowCount > 0;
    },

    async revokeAllForUser(userId) {
      if (!isId(userId)) return 0;
      const { rowCount } = await db.query(
        'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()',
        [userId],
      );
      return rowCount;
    },

    async deleteEndedBefore(before) {
      const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1', [
        before,
      ]);
      return rowCount;
    },
  };
}
