import { DatabaseUnavailableError } from '@argmax/db/errors';
import type { Storage } from '@argmax/db/storage';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { LocalExecutors } from './jobs/jobDispatch.ts';
import { QUEUE_NAME, type QueueJobData, queueConnection, queuePrefix } from './jobs/redisQueue.ts';
import type { EventBus } from './pubsub/eventBus.ts';
import { endRun } from './runs/runEnd.ts';

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
  bus: EventBus;
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
    // A stalled job comes back once: processJob then sees its run RUNNING and marks it INTERRUPTED.
    maxStalledCount: 1,
    // After a Redis connection error, fetch (and report completions) again within a second of its return.
    runRetryDelay: 1000,
    name: options.workerId,
  });

  async function processJob(job: Job<QueueJobData>, token?: string): Promise<string> {
    try {
      return job.data.kind === 'run' ? await processRun(job.data.id) : await processTraining(job.data.id);
    } catch (error) {
      if (!isUnavailable(error)) throw error; // BullMQ retries it after a back-off (attempts, set when queued)
      // PostgreSQL away is no fault of the job: it waits (using up no attempt) while this worker pauses.
      void pauseWhileStorageDown((error as Error).message);
      await job.moveToDelayed(Date.now() + 3000, token);
      throw new DelayedError();
    }
  }

  async function processRun(runId: string): Promise<string> {
    if (executors.runs.has(runId)) return 'already executing here';
    const run = await storage.runs.get(runId);
    if (!run) return 'deleted';
    if (run.status === 'RUNNING') {
      // The job came back after its worker stopped renewing its lock (killed, or cut off): it cannot
      // resume, and its recorded steps stay as they are.
      const reason = `the worker executing it (${run.workerId ?? 'unknown'}) stopped; the steps it recorded are kept`;
      await endRun(
        { storage, bus: options.bus, log },
        runId,
        { status: 'INTERRUPTED', error: reason },
        'the worker stopped while certifying',
      );
      log(`run ${runId}: ${reason}`);
      return 'interrupted';
    }
    if (run.status !== 'QUEUED') return `already ${run.status}`;
    await executors.runs.execute(run);
    return 'executed';
  }

  async function processTraining(jobId: string): Promise<string> {
    if (executors.training.has(jobId)) return 'already executing here';
    const job = await storage.trainingJobs.get(jobId);
    if (!job) return 'deleted';
    if (job.status === 'RUNNING') {
      const reason = `the worker executing it (${job.workerId ?? 'unknown'}) stopped`;
      if (await storage.trainingJobs.finish(jobId, { status: 'INTERRUPTED', error: reason }))
        options.bus.publish('training', jobId, {
          jobId,
          kind: 'status',
          seq: -1,
          payload: { status: 'INTERRUPTED', error: reason },
        });
      return 'interrupted';
    }
    if (job.status !== 'QUEUED') return `already ${job.status}`;
    await executors.training.execute(job);
    return 'executed';
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
