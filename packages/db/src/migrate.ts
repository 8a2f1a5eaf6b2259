import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Executor } from './driver.ts';
import { MigrationError } from './errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** SHA-256 of the SQL: an applied migration that was edited afterwards is refused, not silently skipped. */
  checksum: string;
}

/** Any fixed 64-bit number; every argmax process that migrates takes this advisory lock first. */
export const MIGRATION_LOCK_KEY = '7419220311058133';

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `migrations/NNNN_name.sql`, ordered by number. */
export async function loadMigrations(dir = new URL('./migrations/', import.meta.url)): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (match === null)
      throw new MigrationError(`migration file ${file}: expected a name like 0002_add_thing.sql`);
    const sql = (await readFile(new URL(file, dir), 'utf8')).replace(/\r\n/g, '\n');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version))
      throw new MigrationError(`migration file ${file}: version ${version} is used twice`);
    migrations.push({ version, name: match[2]!, sql, checksum: sha256(sql) });
  }
  return migrations;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, all in one transaction under an advisory
 * lock: two processes starting together serialise here, the second finds everything applied. DDL is
 * transactional in PostgreSQL, so a failing migration leaves the schema as it was.
 */
export async function migrate(
  db: Executor,
  migrations?: readonly Migration[],
): Promise<{ applied: number[] }> {
  const wanted = migrations ?? (await loadMigrations());
  return db.transaction(async (tx) => {
    // The lock comes before CREATE TABLE IF NOT EXISTS: that statement itself races between two sessions.
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz(3) NOT NULL DEFAULT now()
    )`);
    const { rows: done } = await tx.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    for (const row of done) {
      const known = wanted.find((m) => m.version === row.version);
      if (known === undefined) {
        const latest = wanted.at(-1)?.version ?? 0;
        throw new MigrationError(
          `the database has migration ${row.version} (${row.name}) that this code does not know (it knows up to ${latest}): run a newer argmax against this database`,
        );
      }
      if (known.checksum !== row.checksum)
        throw new MigrationError(
          `migration ${row.version} (${row.name}) was changed after it was applied; add a new migration instead of editing an applied one`,
        );
    }
    const applied: number[] = [];
    for (const migration of wanted) {
      if (done.some((row) => row.version === migration.version)) continue;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`migration ${migration.version} (${migration.name}) failed: ${reason}`, {
          cause: error,
        });
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      applied.push(migration.version);
    }
    return { applied };
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
