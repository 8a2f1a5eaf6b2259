/**
 * The only thing that differs between the embedded database (PGlite) and PostgreSQL. Repositories are written
 * once, in SQL, against this interface; the adapters in `drivers/` make both return the same JS types
 * (bytea → Uint8Array, timestamptz → Date, jsonb → parsed JSON, float8[] → number[]).
 */
export interface QueryResult<Row> {
  rows: Row[];
  /** Rows inserted, updated, deleted or returned by the statement. */
  rowCount: number;
}

export interface Executor {
  /** One statement with `$1`-style parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. Inside a transaction
   * this just calls `fn` with the same executor, so repository methods compose into one outer transaction.
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
}

export type DriverKind = 'pglite' | 'postgres';

export interface Driver extends Executor {
  readonly kind: DriverKind;
  close(): Promise<void>;
}

/** The SQLSTATE of a database error from either driver, if it is one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  if ('syscall' in error) return undefined; // a Node system error (EPIPE looks like a SQLSTATE)
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
