import { DatabaseUnavailableError, type Storage } from '@argmax/db';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { LocalExecutors } from './jobs/jobDispatch.ts';
import { QUEUE_NAME, type QueueJobData, queueConnection, queuePrefix } from './jobs/redisQueue.ts';

export interface QueueWorkerOptions {
  redisUrl: string;
  redisPrefix?: string;
  /** Jobs this worker process executes at once (its worker-thread pool has as many threads). */
  concurrency: number;
  /**
   * A job whose worker has not renewed its lock for this long is stalled (the worker died or hung); the
   * next check of any worker moves it on (see `processJob`).
   */
  stalledSeconds: number;
  storage: Storage;
  executors: LocalExecutors;
  workerId: string;
  log: (line: string) => void;
}

export interface QueueWorker {
  /** Stops taking jobs and waits up to `graceMs` for the ones executing; those left become stalled. */
  close(graceMs: number): Promise<void>;
  /** Connected to Redis and taking jobs (for /readyz). */
  readonly running: boolean;
}

const isUnavailable = (error: unknown) => error instanceof DatabaseUnavailableError;

/**
 * A worker process's side of the BullMQ queue: takes runs and training jobs and executes them through the
 * same executors an API server uses in-process. PostgreSQL going away pauses intake until it answers again;
 * Redis going away is waited out by BullMQ's reconnects.
 */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { storage, executors, log } = options;
  const lockMs = Math.max(1, options.stalledSeconds) * 1000;
  let storageDown = false;

  const worker = new Worker<QueueJobData>(QUEUE_NAME, (job, token) => processJob(job, token), {
    connection: queueConnection(options.redisUrl, 'worker'),
    prefix: queuePrefix(options.redisPrefix),
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, lockMs / 2),
    // A stalled job comes back once: its executor then sees it RUNNING and marks it INTERRUPTED.
    maxStalledCount: 1,
    // After a Redis connection error, fetch (and report completions) again within a second of its return.
    runRetryDelay: 1000,
    name: options.workerId,
  });

  async function processJob(job: Job<QueueJobData>, token?: string): Promise<string> {
    try {
      const executor = executors.get(job.data.kind);
      if (!executor) throw new Error(`no executor for ${job.data.kind} jobs`);
      return await executor.take(job.data.id);
    } catch (error) {
      if (!isUnavailable(error)) throw error; // BullMQ retries it after a back-off (attempts, set when queued)
      // PostgreSQL away is no fault of the job: it waits (using up no attempt) while this worker pauses.
      void pauseWhileStorageDown((error as Error).message);
      await job.moveToDelayed(Date.now() + 3000, token);
      throw new DelayedError();
    }
  }

  /** No new jobs while PostgreSQL is away (they would only fail); resumes once it answers. */
  async function pauseWhileStorageDown(reason: string): Promise<void> {
    if (storageDown) return;
    storageDown = true;
    log(`worker paused: ${reason}; checking every 2 s`);
    await worker.pause(true);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (worker.closing) return;
      try {
        await storage.ping();
        break;
      } catch {}
    }
    storageDown = false;
    worker.resume();
    log('worker resumed: PostgreSQL answers again');
  }

  let lastError = '';
  worker.on('error', (error) => {
    // ioredis reports every reconnect attempt: say it once per kind of failure.
    if (error.message !== lastError) log(`job queue (Redis): ${error.message}`);
    lastError = error.message;
  });
  worker.on('ready', () => {
    if (lastError) log('job queue (Redis): connected again');
    lastError = '';
  });
  worker.on('failed', (job, error) => {
    if (job) log(`queue job ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`);
  });

  return {
    get running() {
      return worker.isRunning() && !worker.isPaused() && lastError === '';
    },
    async close(graceMs) {
      await Promise.race([worker.close(), new Promise((resolve) => setTimeout(resolve, graceMs))]);
    },
  };
}
