/**
 * `@argmax/db/testing`: the helpers other packages' tests and benchmarks share with db's own tests: a
 * fresh PostgreSQL database per test, and the users, teams and models most tests start from. Product code
 * never imports them.
 */

export { createTestModel, createTestTeam, createTestUser, uniqueEmail } from './fixtures.ts';
export {
  createTestDatabase,
  postgresForTests,
  probePostgres,
  servicesRequired,
  type TestDatabase,
} from './postgresTestDatabase.ts';
export { type StorageBackend, storageBackends } from './storageBackends.ts';
