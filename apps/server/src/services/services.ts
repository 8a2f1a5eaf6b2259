import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { initBackend } from '@argmax/core/backend/initBackend';
import { openDatabase } from '@argmax/db/openDatabase';
import type { Storage } from '@argmax/db/storage';
import { useCookies } from '@whatwg-node/server-plugin-cookies';
import type { Plugin } from 'graphql-yoga';
import type { ServerConfig } from '../config.ts';
import { followCancellations } from '../jobs/followCancellations.ts';
import { inProcessDispatch } from '../jobs/inProcessDispatch.ts';
import type { JobDispatch } from '../jobs/jobDispatch.ts';
import { WorkerPool } from '../jobs/workerPool.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import { openEventBus } from '../pubsub/openEventBus.ts';
import { RunExecutor } from '../runs/runExecutor.ts';
import { TrainingExecutor } from '../training/trainingExecutor.ts';
import { handleHealth } from './health.ts';
import { queryLimits } from './queryLimits.ts';
import { RunService } from './runService.ts';
import { defaultSeedModelDir, ensureSeedModel } from './seedModel.ts';
import { TrainingService } from './trainingService.ts';
import { refuseOversizedUpload } from './uploadLimit.ts';

export interface Services {
  config: ServerConfig;
  storage: Storage;
  storageKind: 'embedded' | 'postgres';
  pubsubKind: 'memory' | 'redis';
  backend: string;
  bus: EventBus;
  pool: WorkerPool;
  dispatch: JobDispatch;
  runs: RunService;
  training: TrainingService;
  seedModelId: string;
  yogaPlugins: Plugin[];
  /** Non-GraphQL routes (/healthz, /readyz); returns false to let yoga answer. */
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
}

export async function createServices(config: ServerConfig): Promise<Services> {
  const backend = await initBackend(undefined, config.log);
  const storage = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, 'db') },
  );
  const storageKind = config.databaseUrl ? 'postgres' : 'embedded';
  const events = await openEventBus({
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    ...(config.redisPrefix ? { prefix: config.redisPrefix } : {}),
  });
  const bus = events.bus;
  const pool = new WorkerPool(config.maxConcurrentJobs);
  pool.prewarm(1);
  const execution = { storage, pool, bus, config, backend: () => backend.name, workerId: config.workerId };
  const local = { runs: new RunExecutor(execution), training: new TrainingExecutor(execution) };
  const dispatch = inProcessDispatch(local, pool, config.log);
  const stopFollowing = followCancellations(bus, local);
  const runs = new RunService(storage, dispatch, bus, config);
  const training = new TrainingService(storage, dispatch, bus);
  // Only the embedded database belongs to this process alone. On PostgreSQL other servers may be running
  // these jobs right now: marking them INTERRUPTED (or starting queued ones twice) would be wrong there.
  const interrupted =
    storageKind === 'embedded' ? [...(await runs.recover()), ...(await training.recover())] : [];
  if (interrupted.length > 0)
    config.log(`marked ${interrupted.length} interrupted job(s) from the previous start`);
  const seedModelId = await ensureSeedModel(storage, config.seedModelDir ?? defaultSeedModelDir, config.log);

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
    yogaPlugins: [useCookies() as Plugin, ...queryLimits(config)],
    handleHttp: async (req, res) =>
      refuseOversizedUpload(req, res, config.limits.maxUploadBytes) || handleHealth(services, req, res),
    close: async () => {
      local.runs.stop();
      await stopFollowing();
      await dispatch.close();
      await pool.stop();
      await events.close();
      await storage.close();
    },
  };
  return services;
}
