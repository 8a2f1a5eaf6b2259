/**
 * The commands the production stack runs (docker-compose.yml, from the repository root). The process tests
 * start exactly these, and a test checks that docker-compose.yml still runs them.
 */
export const STACK_COMMANDS = {
  api: ['npm', 'run', 'api'],
  worker: ['npm', 'run', 'worker'],
} as const;
