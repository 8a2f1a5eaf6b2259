import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, sqlState, UNIQUE_VIOLATION } from '../driver.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { isId, newId } from '../ids.ts';

export interface User {
  id: string;
  email: string;
  displayName: string | null;
  createdAt: Date;
}

export interface NewUser {
  email: string;
  /** An argon2id hash string made by the server; this layer never sees passwords. */
  passwordHash: string;
  displayName?: string | null;
}

export interface UserRepository {
  /** Throws ConflictError when the email (compared case-insensitively) is taken. */
  create(user: NewUser): Promise<User>;
  get(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  /** For sign-in only: the user with the stored password hash. */
  findCredentialsByEmail(email: string): Promise<{ user: User; passwordHash: string } | null>;
  /** After a successful sign-in with outdated hash parameters, or a password change. */
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
}

interface UserRow {
  id: string;
  email: string;
  display_name: string | null;
  created_at: Date;
}

const COLUMNS = 'id, email, display_name, created_at';
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  createdAt: row.created_at,
});

export function normaliseEmail(email: string): string {
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed))
    throw new InvalidArgumentError('email', email, 'an email address like ada@example.com');
  return trimmed;
}

export function createUserRepository(db: Executor): UserRepository {
  return {
    async create(user) {
      const email = normaliseEmail(user.email);
      if (user.passwordHash === '')
        throw new InvalidArgumentError('passwordHash', '', 'a password hash string');
      try {
        const { rows } = await db.query<UserRow>(
          `INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
          [newId(), email, user.displayName ?? null, user.passwordHash],
        );
        return toUser(rows[0]!);
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION)
          throw new ConflictError('user', `email ${email} is already registered`);
        throw error;
      }
    },

    async get(id) {
      if (!isId(id)) return null;
      const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0] === undefined ? null : toUser(rows[0]);
    },

    async findByEmail(email) {
      const { rows } = await db.query<UserRow>(
        `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`,
        [email.trim()],
      );
      return rows[0] === undefined ? null : toUser(rows[0]);
    },

    async findCredentialsByEmail(email) {
      const { rows } = await db.query<UserRow & { password_hash: string }>(
        `SELECT ${COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)`,
        [email.trim()],
      );
      const row = rows[0];
      return row === undefined ? null : { user: toUser(row), passwordHash: row.password_hash };
    },

    async setPasswordHash(id, passwordHash) {
      if (passwordHash === '') throw new InvalidArgumentError('passwordHash', '', 'a password hash string');
      const { rowCount } = isId(id)
        ? await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash])
        : { rowCount: 0 };
      if (rowCount === 0) throw new NotFoundError('user', id);
    },
  };
}
