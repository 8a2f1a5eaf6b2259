import pg from 'pg';
import { type Driver, type Executor, type QueryResult, sqlState } from '../driver.ts';
import { DatabaseUnavailableError } from '../errors.ts';

export interface PostgresDriverOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Connections kept open at most (default 10). */
  poolSize?: number;
  /** Errors of idle connections (the server restarted, the network dropped); the pool replaces them. */
  onError?: (error: Error) => void;
}

const BYTEA_OID = 17;

/**
 * PostgreSQL through a `pg` pool. Fails fast with DatabaseUnavailableError when the server cannot be reached,
 * so a misconfigured DATABASE_URL is a clear message at start, not a hang or a crash loop.
 */
export async function openPostgresDriver(options: PostgresDriverOptions): Promise<Driver> {
  const target = redactUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    types: {
      // Uint8Array like PGlite, so callers never see the difference (pg would give a Buffer).
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === BYTEA_OID && format !== 'binary'
          ? (text: string) => new Uint8Array(pg.types.getTypeParser(BYTEA_OID)(text) as Buffer)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', (error) => {
    (
      options.onError ??
      ((e: Error) => console.warn(`postgres (${target}): idle connection lost: ${e.message}`))
    )(error);
  });
  const fail = (error: unknown): never => {
    throw isConnectionError(error)
      ? new DatabaseUnavailableError(`PostgreSQL at ${target} is unavailable: ${messageOf(error)}`, {
          cause: error,
        })
      : error;
  };

  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    fail(error);
  }

  const transaction = async <T>(fn: (tx: Executor) => Promise<T>): Promise<T> => {
    const client = await pool.connect().catch(fail);
    const tx: Executor = executor(client, fail, (inner) => inner(tx));
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackError) {
        // The connection is broken: drop it instead of returning it to the pool.
        client.release(rollbackError as Error);
      }
      return fail(error);
    }
  };
  return { kind: 'postgres', ...executor(pool, fail, transaction), close: () => pool.end() };
}

function executor(
  session: pg.Pool | pg.PoolClient,
  fail: (error: unknown) => never,
  transaction: Executor['transaction'],
): Executor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await session.query(sql, [...params]).catch(fail);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await session.query(sql).catch(fail);
    },
    transaction,
  };
}

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
]);

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_ERRNOS.has(code)) return true;
  const state = sqlState(error);
  if (state !== undefined) {
    // 08: connection exception; 57P0x: server shutting down / starting; 3D000: no such database; 28: auth.
    return state.startsWith('08') || state.startsWith('57P') || state === '3D000' || state.startsWith('28');
  }
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  const message = messageOf(error);
  return /Connection terminated|timeout exceeded when trying to connect/i.test(message);
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
