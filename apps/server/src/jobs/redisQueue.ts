import type { RedisOptions } from 'ioredis';

/**
 * The distributed job queue: BullMQ on the Redis that already carries pub/sub. One queue holds runs and
 * training jobs; a queued job is only a pointer (`kind`, `id`) to its QUEUED row in PostgreSQL, which stays
 * the single source of truth, so a queue entry lost or duplicated can never lose or double a run.
 */
export const QUEUE_NAME = 'jobs';

export interface QueueJobData {
  /** The kind of job (`JobKind.name`: run, training). */
  kind: string;
  id: string;
}

/** One queue entry per run or job: adding it twice (a resubmission) is a no-op while it is there. */
export const queueJobId = (data: QueueJobData) => `${data.kind}-${data.id}`;

/** BullMQ keys live under the deployment's Redis namespace: `argmax:queue:jobs:…` by default. */
export const queuePrefix = (redisPrefix = 'argmax:') => `${redisPrefix.replace(/:$/, '')}:queue`;

/**
 * Connection options for BullMQ (it opens and closes the connections). Workers block on Redis and wait out
 * an outage (BullMQ lifts the per-command retry limit for them); API servers fail fast instead, so a request
 * never hangs on a Redis that is gone. Both reconnect forever, backing off to 5 s.
 */
export function queueConnection(url: string, role: 'worker' | 'producer'): RedisOptions & { url: string } {
  const retryStrategy = (times: number) => Math.min(times * 200, 5000);
  return role === 'worker'
    ? { url, maxRetriesPerRequest: null, retryStrategy }
    : { url, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5000, retryStrategy };
}
