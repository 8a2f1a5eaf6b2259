import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { initBackend } from '@argmax/core';
import { openDatabase, type Storage } from '@argmax/db';
import { useCookies } from '@whatwg-node/server-plugin-cookies';
import type { Plugin } from 'graphql-yoga';
import { type AttemptLimiter, memoryAttemptLimiter } from './auth/attemptLimiter.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { redisAttemptLimiter } from './auth/redisAttemptLimiter.ts';
import { signInGuard } from './auth/signInGuard.ts';
import { assertQueueConfig, type ServerConfig } from './config.ts';
import type { ApiServices } from './graphql/apiContext.ts';
import { type HealthSources, handleHealth } from './http/health.ts';
import { queryLimits } from './http/queryLimits.ts';
import { refuseOversizedUpload } from './http/uploadLimit.ts';
import { startJobExecutors } from './jobExecutors.ts';
import { inProcessDispatch } from './jobs/inProcessDispatch.ts';
import type { JobDispatch } from './jobs/jobDispatch.ts';
import { redisQueueDispatch } from './jobs/redisQueueDispatch.ts';
import { WorkerPool } from './jobs/workerPool.ts';
import { defaultSeedModelDir, ensureSeedModel } from './models/seedModel.ts';
import { Metrics } from './observability/metrics.ts';
import { openEventBus } from './pubsub/openEventBus.ts';
import { runSubscriberCount } from './runs/runEvents.ts';
import { RunService } from './runs/runService.ts';
import { TrainingService } from './training/trainingService.ts';

/**
 * This process's services: what the resolvers reach (`ApiServices`, to which each domain adds its own
 * service), and what only the server itself uses.
 */
export interface Services extends ApiServices {
  storage: Storage;
  pubsubKind: 'memory' | 'redis';
  dispatch: JobDispatch;
  yogaPlugins: Plugin[];
  metrics: Metrics;
  /** Non-GraphQL routes (/healthz, /readyz, /metrics); returns false to let yoga answer. */
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
}

export async function createServices(config: ServerConfig): Promise<Services> {
  assertQueueConfig(config);
  const backend = await initBackend(undefined, config.log);
  const storage = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, 'db') },
  );
  const storageKind = config.databaseUrl ? 'postgres' : 'embedded';
  const events = await openEventBus({
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    ...(config.redisPrefix ? { prefix: config.redisPrefix } : {}),
    log: config.log,
  }).catch(async (error) => {
    // A start-up that waits for Redis tries again: the database it opened must not stay open.
    await storage.close();
    throw error;
  });
  const bus = events.bus;
  // With the distributed queue this pool only imports uploaded models; workers execute runs and training.
  const pool = new WorkerPool(config.maxConcurrentJobs, config.jobNice);
  const distributed = config.queue === 'redis';
  let dispatch: JobDispatch;
  const metrics = new Metrics(
    {
      runsByStatus: () => storage.runs.countByStatus(),
      queueDepth: () => dispatch.depth(),
      subscribers: runSubscriberCount,
    },
    'api',
  );
  let stopFollowing = async () => {};
  if (distributed) {
    dispatch = redisQueueDispatch({
      redisUrl: config.redisUrl!,
      ...(config.redisPrefix ? { redisPrefix: config.redisPrefix } : {}),
      log: config.log,
    });
  } else {
    pool.prewarm(1);
    const local = startJobExecutors({ storage, pool, bus, config, backend: backend.name, metrics });
    dispatch = inProcessDispatch(local.executors, pool, config.log);
    stopFollowing = local.stopFollowing;
  }
  const runs = new RunService(storage, dispatch, bus, config);
  const training = new TrainingService(storage, dispatch, bus);
  // Only the embedded database belongs to this process alone. On PostgreSQL other servers may be running
  // these jobs right now: marking them INTERRUPTED (or starting queued ones twice) would be wrong there.
  const interrupted =
    storageKind === 'embedded' ? [...(await runs.recover()), ...(await training.recover())] : [];
  if (interrupted.length > 0)
    config.log(`marked ${interrupted.length} interrupted job(s) from the previous start`);
  // With the queue, a QUEUED row is handed out again until a worker takes it: the queue ignores duplicates,
  // and this catches rows whose hand-over failed while Redis was away.
  let resubmitting: Promise<unknown> = Promise.resolve();
  const resubmit = () => {
    resubmitting = Promise.all([runs.resubmitQueued(), training.resubmitQueued()]).catch((error) =>
      config.log(`handing queued jobs to the queue failed: ${(error as Error).message}`),
    );
  };
  if (distributed) resubmit();
  const resubmitTimer = distributed ? setInterval(resubmit, config.resubmitSeconds * 1000) : undefined;
  resubmitTimer?.unref();
  const health: HealthSources = {
    checks: {
      storage: () => storage.ping(),
      ...(events.kind === 'redis' ? { pubsub: () => events.ping() } : {}),
      ...(distributed ? { queue: () => dispatch.ping() } : {}),
    },
    details: { storage: storageKind, pubsub: events.kind, queue: dispatch.kind, backend: backend.name },
    metrics,
  };
  const seedModelId = await ensureSeedModel(storage, config.seedModelDir ?? defaultSeedModelDir, config.log);
  const attemptLimits = {
    windowMs: config.signIn.windowSeconds * 1000,
    lockoutMs: config.signIn.lockoutSeconds * 1000,
    now: config.now ?? Date.now,
  };
  // With Redis every API server counts the same attempts; without it this process is the only server.
  const attempts: AttemptLimiter = config.redisUrl
    ? await redisAttemptLimiter({
        ...attemptLimits,
        redisUrl: config.redisUrl,
        prefix: config.redisPrefix ?? 'argmax:',
        log: config.log,
      })
    : memoryAttemptLimiter(attemptLimits);

  const services: Services = {
    config,
    storage,
    storageKind,
    pubsubKind: events.kind,
    backend: backend.name,
    bus,
    pool,
    dispatch,
    runs,
    training,
    seedModelId,
    passwords: createPasswordHasher(config.passwordHashes),
    signIn: signInGuard(attempts, config.signIn),
    yogaPlugins: [useCookies() as Plugin, ...queryLimits(config)],
    metrics,
    handleHttp: async (req, res) =>
      refuseOversizedUpload(req, res, config.limits.maxUploadBytes) || handleHealth(health, req, res),
    close: async () => {
      clearInterval(resubmitTimer);
      await resubmitting;
      for (const executor of dispatch.local?.values() ?? []) executor.stop();
      await stopFollowing();
      await dispatch.close();
      await pool.stop();
      await events.close();
      await attempts.close();
      await storage.close();
    },
  };
  return services;
}
