import { InvalidArgumentError } from '@argmax/core/errors';
import { NotFoundError } from './errors.ts';

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
export const INVALID_TEXT_REPRESENTATION = '22P02';

/**
 * Wraps a write that references other rows: a foreign-key violation means the team, user, run... it points
 * at does not exist (NotFoundError naming it), and a malformed UUID is an InvalidArgumentError, instead of
 * raw database errors.
 */
export async function referencing<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const state = sqlState(error);
    const {
      constraint = '',
      table = '',
      detail = '',
      message = '',
    } = error as Record<string, string | undefined>;
    if (state === FOREIGN_KEY_VIOLATION) {
      // PostgreSQL names foreign keys <table>_<column>_fkey; its detail says `Key (column)=(value) is not present`.
      const column = constraint.replace(`${table}_`, '').replace(/_fkey$/, '');
      const entity = column.replace(/_id$/, '').replace(/^(created|accepted)_by$/, 'user');
      throw new NotFoundError(entity, /=\((.*)\)/.exec(detail)?.[1] ?? '?');
    }
    if (state === INVALID_TEXT_REPRESENTATION && /uuid/.test(message)) {
      throw new InvalidArgumentError('id', /"(.*)"/.exec(message)?.[1] ?? '?', 'a UUID');
    }
    throw error;
  }
}
