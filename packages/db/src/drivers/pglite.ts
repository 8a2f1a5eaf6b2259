import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { Driver, Executor, QueryResult } from '../driver.ts';

type PGliteSession = Pick<PGliteInterface, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>;

/**
 * Wraps a PGlite open in this thread (tests use a `clone()` of one: cheaper than a new instance). The
 * embedded database of the server runs on a thread of its own instead (pgliteWorkerDriver.ts). One
 * connection: PGlite queues statements, and a transaction holds it exclusively.
 */
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
