import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, referencing } from '../driver.ts';
import { isId, newId } from '../ids.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import { toUser, type User } from './users.ts';

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** The first characters of the secret (`amx_AbC123`), to tell tokens apart in a list. */
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ApiTokenRepository {
  /** Returns the secret once; only its SHA-256 is stored. `expiresAt` null: valid until revoked. */
  create(token: {
    userId: string;
    name: string;
    expiresAt?: Date | null;
  }): Promise<{ token: ApiToken; secret: string }>;
  /** The token and its user for a Bearer secret that is neither revoked nor expired; records the use. */
  findValid(secret: string): Promise<{ token: ApiToken; user: User } | null>;
  /** Newest first, revoked ones included (they show as revoked). */
  listForUser(userId: string): Promise<ApiToken[]>;
  /** Only the owner's own tokens: false when `id` is not an active token of `userId`. */
  revoke(id: string, userId: string): Promise<boolean>;
}

interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, user_id, name, prefix, created_at, expires_at, revoked_at, last_used_at';
const PREFIX_LENGTH = 10;
/** Recording every request would write on every request; once a minute is precise enough to show. */
const LAST_USED_RESOLUTION = "interval '1 minute'";

const toApiToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

export function createApiTokenRepository(db: Executor): ApiTokenRepository {
  return {
    async create({ userId, name, expiresAt = null }) {
      const trimmed = name.trim();
      if (trimmed === '' || trimmed.length > 100)
        throw new InvalidArgumentError('name', name, 'a token name of 1 to 100 characters');
      const secret = newSecret('amx');
      const { rows } = await referencing(
        db.query<ApiTokenRow>(
          `INSERT INTO api_tokens (id, user_id, name, secret_hash, prefix, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
          [newId(), userId, trimmed, hashSecret(secret), secret.slice(0, PREFIX_LENGTH), expiresAt],
        ),
      );
      return { token: toApiToken(rows[0]!), secret };
    },

    async findValid(secret) {
      const { rows } = await db.query<
        ApiTokenRow & { email: string; display_name: string | null; user_created_at: Date; stale: boolean }
      >(
        `SELECT t.id, t.user_id, t.name, t.prefix, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,
                u.email, u.display_name, u.created_at AS user_created_at,
                (t.last_used_at IS NULL OR t.last_used_at < now() - ${LAST_USED_RESOLUTION}) AS stale
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
        [hashSecret(secret)],
      );
      const row = rows[0];
      if (row === undefined) return null;
      if (row.stale) {
        const updated = await db.query<{ last_used_at: Date }>(
          'UPDATE api_tokens SET last_used_at = now() WHERE id = $1 RETURNING last_used_at',
          [row.id],
        );
        row.last_used_at = updated.rows[0]?.last_used_at ?? row.last_used_at;
      }
      return {
        token: toApiToken(row),
        user: toUser({ ...row, id: row.user_id, created_at: row.user_created_at }),
      };
    },

    async listForUser(userId) {
      if (!isId(userId)) return [];
      const { rows } = await db.query<ApiTokenRow>(
        `SELECT ${COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
        [userId],
      );
      return rows.map(toApiToken);
    },

    async revoke(id, userId) {
      if (!isId(id) || !isId(userId)) return false;
      const { rowCount } = await db.query(
        'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
        [id, userId],
      );
      return rowCount > 0;
    },
  };
}
