/**
 * The commands the production stack runs (docker-compose.yml, from the repository root). The process tests
 * start exactly these, and a test checks that docker-compose.yml still runs them.
 */
export const STACK_COMMANDS = {
  api: ['npm', 'run', 'api'],
  worker: ['npm', 'run', 'worker'],
} as const;

/** The line each process prints once it listens; the first group is its port. */
export const STACK_READY = {
  api: /argmax API on http:\/\/[^:]+:(\d+)\/graphql/,
  worker: /argmax worker \S+: .* health on :(\d+)/,
} as const;

/**
 * The environment of the distributed stack on ephemeral ports (API servers queueing on Redis, workers taking
 * one job each on 2 cores) over `databaseUrl`, with the test's own Redis key prefix.
 */
export function distributedStackEnv(
  databaseUrl: string,
  redisUrl: string,
  redisPrefix: string,
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ARGMAX_REDIS_PREFIX: redisPrefix,
    ARGMAX_QUEUE: 'redis',
    HOST: '127.0.0.1',
    PORT: '0',
    ARGMAX_WORKER_PORT: '0',
    ARGMAX_MAX_JOBS: '1',
  };
}
