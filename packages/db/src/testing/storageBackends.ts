import { openDatabase } from '../openDatabase.ts';
import type { Storage } from '../storage.ts';
import { createTestDatabase, postgresForTests } from './postgresTestDatabase.ts';

export interface StorageBackend {
  name: 'pglite' | 'postgres';
  /** A migrated storage on a fresh database: in-memory PGlite, or a new PostgreSQL database. */
  open(): Promise<{ storage: Storage; dispose(): Promise<void> }>;
}

const pglite: StorageBackend = {
  name: 'pglite',
  async open() {
    const storage = await openDatabase();
    return { storage, dispose: () => storage.close() };
  },
};

const postgres: StorageBackend = {
  name: 'postgres',
  async open() {
    const database = await createTestDatabase();
    try {
      const storage = await openDatabase({ url: database.url, poolSize: 4 });
      return {
        storage,
        async dispose() {
          await storage.close();
          await database.drop();
        },
      };
    } catch (error) {
      await database.drop();
      throw error;
    }
  },
};

/**
 * The backends a storage suite runs against, for `describe.each`: PGlite always, PostgreSQL when reachable
 * (or a thrown error when CI requires it; see postgresForTests).
 */
export async function storageBackends(): Promise<StorageBackend[]> {
  const pg = await postgresForTests();
  return pg.available ? [pglite, postgres] : [pglite];
}
