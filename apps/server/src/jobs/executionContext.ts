import type { Storage } from '@argmax/db';
import type { ServerConfig } from '../config.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import type { WorkerPool } from './workerPool.ts';

/** What an executor of jobs needs, in an API server (in-process) or a worker process alike. */
export interface ExecutionContext {
  storage: Storage;
  pool: WorkerPool;
  bus: EventBus;
  config: ServerConfig;
  /** The tfjs backend the pool's threads report. */
  backend: () => string;
  /** Recorded on each job this process executes (`Run.worker`). */
  workerId: string;
  /** Counts each executed optimisation step (for /metrics). */
  onStep?: () => void;
}
