import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@argmax/core/errors';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { DatabaseUnavailableError } from './errors.ts';
import { migrate } from './migrate.ts';
import { openDatabase } from './openDatabase.ts';
import { uniqueEmail } from './testing/fixtures.ts';
import {
  createTestDatabase,
  listTestDatabases,
  postgresForTests,
  servicesRequired,
  TEST_POSTGRES_ADMIN_URL,
} from './testing/postgresTestDatabase.ts';

const postgres = await postgresForTests();
const NOTHING_LISTENS = 'postgres://argmax:s3cret@127.0.0.1:1/argmax';

describe('openDatabase', () => {
  it('keeps the embedded database in its data directory across restarts', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'argmax-db-')), 'nested', 'db');
    try {
      const first = await openDatabase({ dataDir });
      expect(first.kind).toBe('pglite');
      const email = uniqueEmail();
      const user = await first.users.create({ email, passwordHash: 'h' });
      await first.close();

      const reopened = await openDatabase({ dataDir });
      try {
        expect(await reopened.users.findByEmail(email)).toEqual(user);
        expect(await migrate(reopened.driver)).toEqual({ applied: [] });
        await reopened.ping();
      } finally {
        await reopened.close();
        await reopened.close();
      }
    } finally {
      await rm(dataDir.replace(/[\\/]nested[\\/]db$/, ''), { recursive: true, force: true });
    }
  });

  it('says which PostgreSQL it could not reach, without the password', async () => {
    const error = await openDatabase({ url: NOTHING_LISTENS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(
      /^PostgreSQL at postgres:\/\/argmax:\*\*\*@127\.0\.0\.1:1\/argmax is unavailable/,
    );
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('rejects a URL that is not PostgreSQL’s, without echoing a password', async () => {
    const error = await openDatabase({ url: 'mysql://root:hunter2@localhost/db' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/^url: received .*; expected a PostgreSQL URL/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it.skipIf(!postgres.available)('opens PostgreSQL when given a URL, migrated and ready', async () => {
    const database = await createTestDatabase();
    try {
      const storage = await openDatabase({ url: database.url, dataDir: '/nonexistent/ignored' });
      try {
        expect(storage.kind).toBe('postgres');
        await storage.ping();
        const user = await storage.users.create({ email: uniqueEmail(), passwordHash: 'h' });
        expect(await storage.users.get(user.id)).toEqual(user);
      } finally {
        await storage.close();
      }
    } finally {
      await database.drop();
    }
  });

  it.skipIf(!postgres.available)('reports dropped connections and carries on with new ones', async () => {
    const database = await createTestDatabase();
    const lost: Error[] = [];
    const storage = await openDatabase({ url: database.url, poolSize: 2, onError: (e) => lost.push(e) });
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      await Promise.all([storage.ping(), storage.ping()]);
      // What a PostgreSQL restart or failover does to the pool's idle connections.
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [database.name],
      );
      expect(rowCount).toBeGreaterThan(0);
      await vi.waitFor(() => expect(lost).toHaveLength(rowCount ?? 0));
      expect(lost[0]?.message).toMatch(/terminating connection/);
      await storage.ping();
      expect(await storage.users.findByEmail(uniqueEmail())).toBeNull();
    } finally {
      await admin.end();
      await storage.close();
      await database.drop();
    }
  });

  it('runs several repository calls in one transaction, all or nothing', async () => {
    const storage = await openDatabase();
    try {
      const email = uniqueEmail();
      await expect(
        storage.transaction(async (tx) => {
          const user = await tx.users.create({ email, passwordHash: 'h' });
          await tx.teams.create({ name: 'doomed', ownerId: user.id });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await storage.users.findByEmail(email)).toBeNull();

      const team = await storage.transaction(async (tx) => {
        const user = await tx.users.create({ email, passwordHash: 'h' });
        return (await tx.teams.create({ name: 'kept', ownerId: user.id })).team;
      });
      expect(await storage.teams.get(team.id)).toEqual(team);
    } finally {
      await storage.close();
    }
  });
});

describe('the PostgreSQL test harness', () => {
  it('fails with instructions when CI requires PostgreSQL and it is missing, and skips otherwise', async () => {
    const unreachable = 'postgres://postgres@127.0.0.1:1/test';
    await expect(postgresForTests(unreachable, { CI: 'true' })).rejects.toThrow(
      /PostgreSQL required at postgres:\/\/postgres@127\.0\.0\.1:1\/test \(.+\) — start it with/,
    );
    await expect(postgresForTests(unreachable, { ARGMAX_REQUIRE_SERVICES: '1' })).rejects.toThrow(
      /fail instead of skipping/,
    );
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(await postgresForTests(unreachable, {})).toMatchObject({ available: false });
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/^SKIPPING the PostgreSQL storage tests: PostgreSQL required/),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('treats CI=false and an empty CI as not CI', () => {
    expect(servicesRequired({ CI: 'true' })).toBe(true);
    expect(servicesRequired({ CI: '1' })).toBe(true);
    expect(servicesRequired({ CI: 'false' })).toBe(false);
    expect(servicesRequired({ CI: '' })).toBe(false);
    expect(servicesRequired({})).toBe(false);
  });

  it.skipIf(!postgres.available)('drops the databases it creates', async () => {
    const database = await createTestDatabase();
    expect(database.name).toMatch(/^argmax_test_[0-9a-f]{12}$/);
    expect(await listTestDatabases()).toContain(database.name);
    await database.drop();
    expect(await listTestDatabases()).not.toContain(database.name);
  });
});
