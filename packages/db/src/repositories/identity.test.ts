import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@argmax/core/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Storage } from '../storage.ts';
import { createTestUser, uniqueEmail } from '../testing/fixtures.ts';
import { storageBackends } from '../testing/storageBackends.ts';

const backends = await storageBackends();

const HOUR = 3600_000;
const inAnHour = () => new Date(Date.now() + HOUR);
const anHourAgo = () => new Date(Date.now() - HOUR);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.each(backends)('users, sessions and API tokens on $name', (backend) => {
  let storage: Storage;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ storage, dispose } = await backend.open());
  });
  afterAll(() => dispose?.());

  /** Every row of `table` as JSON text: a secret must appear in none of them. */
  async function tableText(table: string): Promise<string> {
    const { rows } = await storage.driver.query<{ json: string }>(
      `SELECT row_to_json(t)::text AS json FROM ${table} t`,
    );
    return rows.map((row) => row.json).join('\n');
  }

  describe('users', () => {
    it('creates a user and finds it by ID and by email in any case', async () => {
      const email = uniqueEmail('Ada');
      const user = await storage.users.create({
        email: `  ${email} `,
        passwordHash: 'hash-1',
        displayName: 'Ada',
      });
      expect(user).toMatchObject({ email, displayName: 'Ada' });
      expect(user.createdAt).toBeInstanceOf(Date);
      expect(user).not.toHaveProperty('passwordHash');
      expect(await storage.users.get(user.id)).toEqual(user);
      expect(await storage.users.findByEmail(email.toUpperCase())).toEqual(user);
    });

    it('refuses a second account for the same email, whatever its case', async () => {
      const email = uniqueEmail();
      await storage.users.create({ email, passwordHash: 'h' });
      await expect(storage.users.create({ email: email.toUpperCase(), passwordHash: 'h' })).rejects.toThrow(
        ConflictError,
      );
    });

    it('returns the password hash only through findCredentialsByEmail, and updates it', async () => {
      const user = await createTestUser(storage);
      const found = await storage.users.findCredentialsByEmail(user.email);
      expect(found?.user).toEqual(user);
      expect(found?.passwordHash).toMatch(/^\$argon2id\$/);
      await storage.users.setPasswordHash(user.id, 'new-hash');
      expect((await storage.users.findCredentialsByEmail(user.email))?.passwordHash).toBe('new-hash');
      await expect(storage.users.setPasswordHash(crypto.randomUUID(), 'x')).rejects.toThrow(NotFoundError);
    });

    it('answers null for unknown and malformed IDs and emails', async () => {
      expect(await storage.users.get(crypto.randomUUID())).toBeNull();
      expect(await storage.users.get('1 OR 1=1')).toBeNull();
      expect(await storage.users.findByEmail(uniqueEmail())).toBeNull();
      expect(await storage.users.findCredentialsByEmail(uniqueEmail())).toBeNull();
    });

    it('rejects what is not an email address or a hash', async () => {
      await expect(storage.users.create({ email: 'not-an-email', passwordHash: 'h' })).rejects.toThrow(
        /email: received "not-an-email"; expected an email address/,
      );
      await expect(storage.users.create({ email: uniqueEmail(), passwordHash: '' })).rejects.toThrow(
        InvalidArgumentError,
      );
    });
  });

  describe('sessions', () => {
    it('finds a session by its secret and stores only the SHA-256 of it', async () => {
      const user = await createTestUser(storage);
      const { session, secret } = await storage.sessions.create(user.id, inAnHour());
      expect(secret).toMatch(/^sess_[A-Za-z0-9_-]{43}$/);
      expect(await storage.sessions.findValid(secret)).toEqual({ session, user });

      const stored = await tableText('sessions');
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(5));
      expect(stored).toContain(sha256(secret));
    });

    it('does not accept a wrong, expired or revoked secret', async () => {
      const user = await createTestUser(storage);
      const { secret } = await storage.sessions.create(user.id, inAnHour());
      expect(await storage.sessions.findValid(`${secret}x`)).toBeNull();

      const expired = await storage.sessions.create(user.id, anHourAgo());
      expect(await storage.sessions.findValid(expired.secret)).toBeNull();

      expect(await storage.sessions.revokeBySecret(secret)).toBe(true);
      expect(await storage.sessions.findValid(secret)).toBeNull();
      expect(await storage.sessions.revokeBySecret(secret)).toBe(false);
    });

    it('refuses a session for a user that does not exist or an ID that is not one', async () => {
      await expect(storage.sessions.create(crypto.randomUUID(), inAnHour())).rejects.toThrow(NotFoundError);
      await expect(storage.sessions.create('42', inAnHour())).rejects.toThrow(
        /^id: received "42"; expected a UUID/,
      );
    });

    it('extends a session and revokes all sessions of a user', async () => {
      const user = await createTestUser(storage);
      const first = await storage.sessions.create(user.id, inAnHour());
      const second = await storage.sessions.create(user.id, inAnHour());
      const later = new Date(Date.now() + 48 * HOUR);
      await storage.sessions.extend(first.session.id, later);
      expect((await storage.sessions.findValid(first.secret))?.session.expiresAt).toEqual(later);
      await expect(storage.sessions.extend(crypto.randomUUID(), later)).rejects.toThrow(NotFoundError);

      expect(await storage.sessions.revokeAllForUser(user.id)).toBe(2);
      expect(await storage.sessions.findValid(first.secret)).toBeNull();
      expect(await storage.sessions.findValid(second.secret)).toBeNull();
    });

    it('deletes ended sessions and keeps active ones', async () => {
      const user = await createTestUser(storage);
      const active = await storage.sessions.create(user.id, inAnHour());
      const expired = await storage.sessions.create(user.id, new Date(Date.now() - 2 * HOUR));
      expect(await storage.sessions.deleteEndedBefore(anHourAgo())).toBeGreaterThanOrEqual(1);
      const { rows } = await storage.driver.query<{ id: string }>(
        'SELECT id FROM sessions WHERE user_id = $1',
        [user.id],
      );
      expect(rows.map((row) => row.id)).toEqual([active.session.id]);
      expect(expired.session.id).not.toBe(active.session.id);
    });
  });

  describe('API tokens', () => {
    it('finds a token by its secret, records its use, and stores only the SHA-256', async () => {
      const user = await createTestUser(storage);
      const { token, secret } = await storage.apiTokens.create({ userId: user.id, name: ' ci script ' });
      expect(secret).toMatch(/^amx_[A-Za-z0-9_-]{43}$/);
      expect(token).toMatchObject({
        name: 'ci script',
        prefix: secret.slice(0, 10),
        lastUsedAt: null,
        expiresAt: null,
      });

      const found = await storage.apiTokens.findValid(secret);
      expect(found?.user).toEqual(user);
      expect(found?.token.id).toBe(token.id);
      expect(found?.token.lastUsedAt).toBeInstanceOf(Date);

      const stored = await tableText('api_tokens');
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(10));
      expect(stored).toContain(sha256(secret));
    });

    it('lists a user’s tokens newest first and lets only their owner revoke them', async () => {
      const user = await createTestUser(storage);
      const other = await createTestUser(storage, 'other');
      const a = await storage.apiTokens.create({ userId: user.id, name: 'a' });
      const b = await storage.apiTokens.create({ userId: user.id, name: 'b', expiresAt: inAnHour() });
      const listed = await storage.apiTokens.listForUser(user.id);
      expect(new Set(listed.map((t) => t.id))).toEqual(new Set([a.token.id, b.token.id]));
      expect(await storage.apiTokens.listForUser(other.id)).toEqual([]);

      expect(await storage.apiTokens.revoke(a.token.id, other.id)).toBe(false);
      expect(await storage.apiTokens.findValid(a.secret)).not.toBeNull();
      expect(await storage.apiTokens.revoke(a.token.id, user.id)).toBe(true);
      expect(await storage.apiTokens.revoke(a.token.id, user.id)).toBe(false);
      expect(await storage.apiTokens.findValid(a.secret)).toBeNull();
      expect(
        (await storage.apiTokens.listForUser(user.id)).find((t) => t.id === a.token.id)?.revokedAt,
      ).toBeInstanceOf(Date);
    });

    it('does not accept an expired token or an empty name', async () => {
      const user = await createTestUser(storage);
      const { secret } = await storage.apiTokens.create({
        userId: user.id,
        name: 'old',
        expiresAt: anHourAgo(),
      });
      expect(await storage.apiTokens.findValid(secret)).toBeNull();
      await expect(storage.apiTokens.create({ userId: user.id, name: '  ' })).rejects.toThrow(
        InvalidArgumentError,
      );
    });
  });
});
