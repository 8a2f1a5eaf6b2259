import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Driver } from './driver.ts';
import { pgliteDriver } from './drivers/pglite.ts';
import { openPostgresDriver } from './drivers/postgres.ts';
import { MigrationError } from './errors.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { createTestDatabase, postgresForTests } from './testing/postgresTestDatabase.ts';

const postgres = await postgresForTests();

// Cloning an empty PGlite costs a third of starting a new one.
const emptyPGlite = PGlite.create();
afterAll(async () => (await emptyPGlite).close());

/** An empty database per test: migrations must start from nothing. */
const backends = [
  { name: 'pglite', open: async () => pgliteDriver(await (await emptyPGlite).clone()) },
  ...(postgres.available
    ? [
        {
          name: 'postgres',
          async open(): Promise<Driver> {
            const database = await createTestDatabase();
            const driver = await openPostgresDriver({ url: database.url, poolSize: 2 });
            return {
              ...driver,
              async close() {
                await driver.close();
                await database.drop();
              },
            };
          },
        },
      ]
    : []),
];

const opened: Driver[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((driver) => driver.close()));
});

async function tables(driver: Driver): Promise<string[]> {
  const { rows } = await driver.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((row) => row.name);
}

describe.each(backends)('migrations on $name', (backend) => {
  async function fresh(): Promise<Driver> {
    const driver = await backend.open();
    opened.push(driver);
    return driver;
  }

  it('applies every migration once, records it, and does nothing the second time', async () => {
    const driver = await fresh();
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));

    expect(await migrate(driver)).toEqual({ applied: migrations.map((m) => m.version) });
    expect(await tables(driver)).toEqual(
      expect.arrayContaining(['users', 'teams', 'memberships', 'runs', 'run_steps', 'schema_migrations']),
    );
    expect(await migrate(driver)).toEqual({ applied: [] });
    const { rows } = await driver.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, checksum: m.checksum })));
  });

  it('rolls a failing migration back completely', async () => {
    const driver = await fresh();
    const migrations = await loadMigrations();
    const broken = {
      version: 9000,
      name: 'broken',
      sql: 'CREATE TABLE half_done (x int); SELECT no_such_column FROM users;',
      checksum: 'x',
    };
    await expect(migrate(driver, [...migrations, broken])).rejects.toThrow(
      /migration 9000 \(broken\) failed/,
    );
    // One transaction: the good migrations before it are not half-applied either.
    expect(await tables(driver)).toEqual([]);
    expect(await migrate(driver, migrations)).toEqual({ applied: migrations.map((m) => m.version) });
  });

  it('refuses an applied migration that was edited, and a database newer than the code', async () => {
    const driver = await fresh();
    const migrations = await loadMigrations();
    await migrate(driver);
    const edited = migrations.map((m) => (m.version === 1 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(driver, edited)).rejects.toThrow(
      /migration 1 \(initial\) was changed after it was applied/,
    );

    await driver.query(
      "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', 'x')",
    );
    const error = await migrate(driver).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/migration 9999 \(future\) that this code does not know/);
  });
});

describe.skipIf(!postgres.available)('migrations from several processes at once on postgres', () => {
  it('applies each migration exactly once while three connections migrate together', async () => {
    const database = await createTestDatabase();
    const drivers = await Promise.all(
      [1, 2, 3].map(() => openPostgresDriver({ url: database.url, poolSize: 1 })),
    );
    try {
      const results = await Promise.all(drivers.map((driver) => migrate(driver)));
      const versions = (await loadMigrations()).map((m) => m.version);
      expect(results.map((r) => r.applied).sort((a, b) => b.length - a.length)).toEqual([versions, [], []]);
      const { rows } = await drivers[0]!.query<{ version: number }>('SELECT version FROM schema_migrations');
      expect(rows.map((r) => r.version).sort()).toEqual(versions);
    } finally {
      await Promise.all(drivers.map((driver) => driver.close()));
      await database.drop();
    }
  });
});
