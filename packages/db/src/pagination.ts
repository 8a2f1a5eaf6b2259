import { InvalidArgumentError } from '@argmax/core/errors';
import type { Executor } from './driver.ts';
import { isId } from './ids.ts';

/** Forward pagination, newest first. `after` is the `nextCursor` of the previous page. */
export interface PageRequest {
  first?: number;
  after?: string | null;
}

export interface Page<T> {
  items: T[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * Opaque to clients; inside it is the (created_at, id) of the last row. Keyset pagination on that pair is
 * stable: rows inserted meanwhile (they are newer) never shift later pages, and equal timestamps are
 * ordered by id, so no row is skipped or repeated.
 */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [at, id] = parsed as unknown[];
    const createdAt = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
    if (!Number.isNaN(createdAt.getTime()) && typeof id === 'string' && isId(id)) return { createdAt, id };
  }
  throw new InvalidArgumentError('after', cursor, 'a cursor returned as nextCursor by the previous page');
}

function pageSize(first: number | undefined): number {
  if (first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw new InvalidArgumentError('first', first, `an integer from 1 to ${MAX_PAGE_SIZE}`);
  return first;
}

/**
 * Runs `select` (a `SELECT … FROM table` whose rows include created_at and id) with the filters in `where`
 * and the keyset condition, newest first, and fetches one row more than asked to know whether a next page
 * exists.
 */
export async function keysetPage<Row extends { created_at: Date; id: string }, T>(
  db: Executor,
  query: { select: string; where: string[]; params: unknown[] },
  page: PageRequest,
  map: (row: Row) => T,
): Promise<Page<T>> {
  const size = pageSize(page.first);
  const where = [...query.where];
  const params = [...query.params];
  if (page.after != null) {
    const cursor = decodeCursor(page.after);
    params.push(cursor.createdAt, cursor.id);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(size + 1);
  const sql = `${query.select} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY created_at DESC, id DESC LIMIT $${params.length}`;
  const { rows } = await db.query<Row>(sql, params);
  const items = rows.slice(0, size);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > size && last !== undefined ? encodeCursor(last.created_at, last.id) : null,
  };
}
