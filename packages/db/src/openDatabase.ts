import { InvalidArgumentError } from '@argmax/core/errors';
import type { Driver } from './driver.ts';
import { openPGliteWorkerDriver } from './drivers/pgliteWorkerDriver.ts';
import { openPostgresDriver, redactUrl } from './drivers/postgres.ts';
import { migrate } from './migrate.ts';
import { createStorage, type Storage } from './storage.ts';

export interface OpenDatabaseOptions {
  /** PostgreSQL URL (DATABASE_URL). When set, it wins over `dataDir`. */
  url?: string;
  /** Where the embedded database keeps its files (e.g. ./data/db). Neither option: in memory (tests). */
  dataDir?: string;
  /** PostgreSQL connections at most (default 10). */
  poolSize?: number;
  /** Lost idle PostgreSQL connections (the pool replaces them); default: a warning on the console. */
  onError?: (error: Error) => void;
}

/**
 * Opens PostgreSQL when `url` is set, the embedded PGlite otherwise, and brings the schema up to date before
 * returning. Safe to call from several processes at once (migrations take an advisory lock).
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Storage> {
  const url = options.url === '' ? undefined : options.url;
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url))
    throw new InvalidArgumentError(
      'url',
      redactUrl(url),
      'a PostgreSQL URL like postgres://user:password@host:5432/database',
    );
  const driver: Driver =
    url === undefined
      ? await openPGliteWorkerDriver(options.dataDir === undefined ? {} : { dataDir: options.dataDir })
      : await openPostgresDriver({
          url,
          ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
          ...(options.onError === undefined ? {} : { onError: options.onError }),
        });
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return createStorage(driver);
}
