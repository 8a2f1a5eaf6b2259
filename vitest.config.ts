import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM; Node (and Pothos, yoga) load the CJS one, so tests must too, or two
    // copies of its classes meet ("Cannot use GraphQLObjectType from another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'test/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**'],
    // tfjs backends keep global state: one fork per file keeps tests independent.
    pool: 'forks',
    maxWorkers: 2,
    // Job threads (test servers and the services tests start) at the tests' own priority: at the default
    // nice 10 a job gets about a tenth of a core while other test files keep both busy, and a 5 s training
    // job once ran past its test's 120 s in CI.
    env: { ARGMAX_JOB_NICE: '0' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
