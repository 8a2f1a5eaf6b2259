import { randomUUID } from 'node:crypto';
import { postgresForTests, servicesRequired } from '@argmax/db/testing';
import { Redis } from 'ioredis';
import { openEventBus } from '../pubsub/openEventBus.ts';

export const TEST_REDIS_URL = process.env.ARGMAX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the Redis tests run: yes when Redis answers; an error when it does not and CI (or
 * ARGMAX_REQUIRE_SERVICES=1) asked for the real services; otherwise a skip with the reason printed.
 */
export async function redisForTests(): Promise<boolean> {
  try {
    const probe = await openEventBus({ redisUrl: TEST_REDIS_URL, prefix: `argmax-test-${randomUUID()}:` });
    await probe.close();
    return true;
  } catch (error) {
    const message = `Redis required at ${TEST_REDIS_URL} (${(error as Error).message}) — start it with redis-server --daemonize yes`;
    if (servicesRequired())
      throw new Error(
        `${message}. CI or ARGMAX_REQUIRE_SERVICES=1 is set, so this fails instead of skipping.`,
      );
    console.warn(`SKIPPING the Redis tests: ${message}`);
    return false;
  }
}

/** Removes every key a test wrote under its own prefix (queue entries, channels have no keys). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/** Both services of the scale-out suites: true when both answer (each missing one skips, or fails in CI). */
export async function postgresAndRedisForTests(): Promise<boolean> {
  const postgres = await postgresForTests();
  const redis = await redisForTests();
  return postgres.available && redis;
}
