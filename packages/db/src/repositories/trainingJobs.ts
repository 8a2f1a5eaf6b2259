import { type Executor, referencing } from '../driver.ts';
import { newId } from '../ids.ts';
import type { JobStatus } from '../jobStatus.ts';
import { type Json, jsonParam } from '../json.ts';
import type { Page, PageRequest } from '../pagination.ts';
import { type JobOutcome, type JobRepository, jobLifecycle } from './jobLifecycle.ts';

/** Training a new model as a job; its progress is in trainingEvents, its result in `modelId`. */
export interface TrainingJob {
  id: string;
  teamId: string;
  creatorId: string;
  /** Dataset, architecture, epochs, seed, ... as the server validated them. */
  spec: Json;
  status: JobStatus;
  error: string | null;
  backend: string | null;
  workerId: string | null;
  /** The model the job produced, once it succeeded. */
  modelId: string | null;
  /** Final metrics (loss, accuracy, ...). */
  metrics: Json | null;
  timings: Json | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface TrainingOutcome extends JobOutcome {
  modelId?: string | null;
  metrics?: Json | null;
  timings?: Json | null;
}

export interface TrainingJobFilter {
  teamId: string;
  creatorId?: string;
  status?: JobStatus | readonly JobStatus[];
}

export interface TrainingJobRepository extends JobRepository<TrainingJob, TrainingOutcome> {
  create(job: { teamId: string; creatorId: string; spec: Json }): Promise<TrainingJob>;
  /** Newest first, keyset-paginated like runs. */
  list(filter: TrainingJobFilter, page?: PageRequest): Promise<Page<TrainingJob>>;
  /** QUEUED → RUNNING; null when the job is not QUEUED. */
  markRunning(id: string, start: { backend: string; workerId?: string | null }): Promise<TrainingJob | null>;
}

interface TrainingJobRow {
  id: string;
  team_id: string;
  creator_id: string;
  spec: Json;
  status: JobStatus;
  error: string | null;
  backend: string | null;
  worker_id: string | null;
  model_id: string | null;
  metrics: Json | null;
  timings: Json | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const COLUMNS = `id, team_id, creator_id, spec, status, error, backend, worker_id, model_id, metrics, timings,
  created_at, started_at, finished_at`;

const toJob = (row: TrainingJobRow): TrainingJob => ({
  id: row.id,
  teamId: row.team_id,
  creatorId: row.creator_id,
  spec: row.spec,
  status: row.status,
  error: row.error,
  backend: row.backend,
  workerId: row.worker_id,
  modelId: row.model_id,
  metrics: row.metrics,
  timings: row.timings,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

const DEFAULT_INTERRUPTED = 'the server stopped while the training job was running';

export function createTrainingJobRepository(db: Executor): TrainingJobRepository {
  const lifecycle = jobLifecycle(db, {
    table: 'training_jobs',
    columns: COLUMNS,
    toJob,
    interruptedError: DEFAULT_INTERRUPTED,
  });
  return {
    async create({ teamId, creatorId, spec }) {
      const { rows } = await referencing(
        db.query<TrainingJobRow>(
          `INSERT INTO training_jobs (id, team_id, creator_id, spec) VALUES ($1, $2, $3, $4::jsonb) RETURNING ${COLUMNS}`,
          [newId(), teamId, creatorId, jsonParam(spec)],
        ),
      );
      return toJob(rows[0]!);
    },

    get: (id) => lifecycle.get(id),

    list: (filter, page = {}) =>
      lifecycle.list(
        { teamId: filter.teamId, ids: { creator_id: filter.creatorId }, status: filter.status },
        page,
      ),

    markRunning: (id, { backend, workerId = null }) =>
      lifecycle.claim(id, { backend: { value: backend }, worker_id: { value: workerId } }),

    finish: (id, outcome) =>
      lifecycle.finish(id, outcome.status, outcome.error, {
        model_id: { value: outcome.modelId ?? null },
        metrics: { value: jsonParam(outcome.metrics ?? undefined), jsonb: true },
        timings: { value: jsonParam(outcome.timings ?? undefined), jsonb: true },
      }),

    listQueued: () => lifecycle.listQueued(),
    interruptRunning: (options) => lifecycle.interruptRunning(options),
    countActiveByCreator: (creatorId) => lifecycle.countActiveByCreator(creatorId),
  };
}
