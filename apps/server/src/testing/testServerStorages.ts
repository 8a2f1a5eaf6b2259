import { createTestDatabase, postgresForTests } from '@argmax/db/testing';
import type { ServerConfig } from '../config.ts';
import { startTestServer, type TestServer } from './testServer.ts';

export interface TestServerStorage {
  name: 'embedded' | 'postgres';
  start(overrides?: Partial<ServerConfig>): Promise<TestServer>;
}

const embedded: TestServerStorage = { name: 'embedded', start: (overrides) => startTestServer(overrides) };

const postgres: TestServerStorage = {
  name: 'postgres',
  async start(overrides) {
    const database = await createTestDatabase();
    try {
      const server = await startTestServer({ ...overrides, databaseUrl: database.url });
      return {
        ...server,
        async close() {
          await server.close();
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
 * The storages an API suite runs against, for `describe.each`: the embedded database always, PostgreSQL
 * when reachable (or a thrown error when CI requires it; see postgresForTests).
 */
export async function testServerStorages(): Promise<TestServerStorage[]> {
  return (await postgresForTests()).available ? [embedded, postgres] : [embedded];
}
