import { mkdir } from 'node:fs/promises';
import { PGlite, type PGliteInterface, type Transaction } from '@electric-sql/pglite';
import type { Driver, Executor, QueryResult } from '../driver.ts';

type PGliteSession = Pick<PGliteInterface, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>;

/**
 * Embedded PostgreSQL (compiled to WASM): nothing to install. In memory without `dataDir` (tests), on disk
 * with it. One connection per process; PGlite queues statements, and a transaction holds it exclusively.
 */
export async function openPGliteDriver(options: { dataDir?: string } = {}): Promise<Driver> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  return pgliteDriver(await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir }));
}

/** Wraps an open PGlite (or a `clone()` of one, which tests use because it is cheaper than a new instance). */
export function pgliteDriver(db: PGliteInterface): Driver {
  const root = executor(db, (fn) => db.transaction((tx) => fn(executor(tx, null))));
  return {
    kind: 'pglite',
    ...root,
    close: () => db.close(),
  };
}

/** `transaction` null means "already inside one": nested calls reuse the open transaction. */
function executor(
  session: PGliteSession,
  transaction: (<T>(fn: (tx: Executor) => Promise<T>) => Promise<T>) | null,
): Executor {
  const self: Executor = {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await session.query<Row>(sql, [...params]);
      return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await session.exec(sql);
    },
    transaction: (fn) => (transaction === null ? fn(self) : transaction(fn)),
  };
  return self;
}
