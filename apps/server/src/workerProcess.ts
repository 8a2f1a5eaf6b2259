import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initBackend } from '@argmax/core';
import { openDatabase } from '@argmax/db';
import { assertQueueConfig, type ServerConfig } from './config.ts';
import { handleHealth } from './http/health.ts';
import { startJobExecutors } from './jobExecutors.ts';
import { WorkerPool } from './jobs/workerPool.ts';
import { Metrics } from './observability/metrics.ts';
import { openEventBus } from './pubsub/openEventBus.ts';
import { startQueueWorker } from './queueWorker.ts';

export interface WorkerProcess {
  workerId: string;
  /** Where /healthz, /readyz and /metrics answer. */
  port: number;
  /** Stops taking jobs, gives the executing ones the grace period, then closes everything. */
  stop(): Promise<void>;
}

/**
 * A worker process of the distributed setup: takes runs and training jobs from the BullMQ queue and
 * executes them on its own worker-thread pool (ARGMAX_MAX_JOBS at once), with the executors an API server
 * uses in-process: steps go to PostgreSQL and, live, over Redis to whichever API server has subscribers.
 */
export async function startWorkerProcess(config: ServerConfig): Promise<WorkerProcess> {
  assertQueueConfig({ ...config, queue: 'redis' });
  const backend = await initBackend(undefined, config.log);
  const storage = await openDatabase({ url: config.databaseUrl! });
  const events = await openEventBus({
    redisUrl: config.redisUrl!,
    ...(config.redisPrefix ? { prefix: config.redisPrefix } : {}),
    log: config.log,
  }).catch(async (error) => {
    await storage.close();
    throw error;
  });
  const pool = new WorkerPool(config.maxConcurrentJobs, config.jobNice);
  // Every thread loads tfjs first (seconds): have them ready before the first job arrives.
  pool.prewarm(config.maxConcurrentJobs);
  const metrics = new Metrics(
    { queueDepth: async () => ({ waiting: pool.queued, active: pool.running }) },
    'worker',
  );
  const { executors, stopFollowing } = startJobExecutors({
    storage,
    pool,
    bus: events.bus,
    config,
    backend: backend.name,
    metrics,
  });
  const queue = startQueueWorker({
    redisUrl: config.redisUrl!,
    ...(config.redisPrefix ? { redisPrefix: config.redisPrefix } : {}),
    concurrency: config.maxConcurrentJobs,
    stalledSeconds: config.stalledSeconds,
    storage,
    executors,
    workerId: config.workerId,
    log: config.log,
  });

  const health = {
    checks: {
      storage: () => storage.ping(),
      pubsub: () => events.ping(),
      queue: async () => {
        if (!queue.running) throw new Error('not taking jobs from the queue (Redis away, or paused)');
      },
    },
    details: { role: 'worker', worker: config.workerId, backend: backend.name },
    metrics,
  };
  const server: Server = createServer(async (req, res) => {
    if (!(await handleHealth(health, req, res))) {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.workerPort, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  config.log(
    `argmax worker ${config.workerId}: ${config.maxConcurrentJobs} job(s) at once, backend ${backend.name}, health on :${port}`,
  );

  return {
    workerId: config.workerId,
    port,
    async stop() {
      await queue.close(config.workerGraceSeconds * 1000);
      for (const executor of executors.values()) executor.stop();
      await stopFollowing();
      await pool.stop();
      await events.close();
      await storage.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
