import { Queue } from 'bullmq';
import { withTimeout } from '../withTimeout.ts';
import type { JobDispatch } from './jobDispatch.ts';
import { QUEUE_NAME, type QueueJobData, queueConnection, queueJobId, queuePrefix } from './redisQueue.ts';

export interface RedisQueueOptions {
  redisUrl: string;
  /** The deployment's Redis namespace (ARGMAX_REDIS_PREFIX). */
  redisPrefix?: string;
  log: (line: string) => void;
}

/**
 * API servers with ARGMAX_QUEUE=redis: a run or training job is only queued here (BullMQ) and executed by
 * a worker process. A job that cannot be queued (Redis away) keeps its QUEUED row; the server resubmits
 * every QUEUED row periodically, so it is queued once Redis answers again.
 */
export function redisQueueDispatch(options: RedisQueueOptions): JobDispatch {
  const queue = new Queue<QueueJobData>(QUEUE_NAME, {
    connection: queueConnection(options.redisUrl, 'producer'),
    prefix: queuePrefix(options.redisPrefix),
    defaultJobOptions: {
      // Only infrastructure failures reach BullMQ (a failing run is recorded FAILED and its job completes).
      attempts: 20,
      backoff: { type: 'fixed', delay: 3000 },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  let lastError = '';
  queue.on('error', (error) => {
    // ioredis reports every reconnect attempt: say it once per kind of failure.
    if (error.message !== lastError) options.log(`job queue (Redis): ${error.message}`);
    lastError = error.message;
  });
  const enqueue = async (data: QueueJobData) => {
    try {
      await queue.add(data.kind, data, { jobId: queueJobId(data) });
      lastError = '';
    } catch (error) {
      options.log(
        `${data.kind} ${data.id} stays QUEUED: the job queue (Redis) did not take it (${(error as Error).message}); it is queued again once Redis answers`,
      );
    }
  };
  return {
    kind: 'redis',
    local: null,
    submit: (kind, id) => enqueue({ kind, id }),
    depth: async () => {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'paused', 'active');
      const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0);
      return { waiting: waiting + (counts.paused ?? 0), active: counts.active ?? 0 };
    },
    ping: async () => {
      await withTimeout(queue.getJobCounts('waiting'), 2000, 'the job queue (Redis) does not answer');
    },
    close: () => queue.close(),
  };
}
