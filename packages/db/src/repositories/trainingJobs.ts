import { type Executor, referencing } from '../driver.ts';
import { isId, newId } from '../ids.ts';
import {
  ACTIVE_STATUSES,
  assertFinalStatus,
  type FinalStatus,
  type JobStatus,
  statusList,
} from '../jobStatus.ts';
import { type Json, jsonParam } from '../json.ts';
import { keysetPage, type Page, type PageRequest } from '../pagination.ts';

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

export interface TrainingOutcome {
  status: FinalStatus;
  error?: string | null;
  modelId?: string | null;
  metrics?: Json | null;
  timings?: Json | null;
}

export interface TrainingJobFilter {
  teamId: string;
  creatorId?: string;
  status?: JobStatus | readonly JobStatus[];
}

export interface TrainingJobRepository {
  create(job: { teamId: string; creatorId: string; spec: Json }): Promise<TrainingJob>;
  get(id: string): Promise<TrainingJob | null>;
  /** Newest first, keyset-paginated like runs. */
  list(filter: TrainingJobFilter, page?: PageRequest): Promise<Page<TrainingJob>>;
  /** QUEUED → RUNNING; null when the job is not QUEUED. */
  markRunning(id: string, start: { backend: string; workerId?: string | null }): Promise<TrainingJob | null>;
  /** QUEUED | RUNNING → a final status; null when it had already finished. */
  finish(id: string, outcome: TrainingOutcome): Promise<TrainingJob | null>;
  /** At start-up: RUNNING jobs (of this worker, when given) become INTERRUPTED. Returns their IDs. */
  interruptRunning(options?: { workerId?: string; error?: string }): Promise<string[]>;
  /** Every QUEUED job, oldest first: at start-up (and with a distributed queue) they are handed out again. */
  listQueued(): Promise<TrainingJob[]>;
  countActiveByCreator(creatorId: string): Promise<number>;
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

    async get(id) {
      if (!isId(id)) return null;
      const { rows } = await db.query<TrainingJobRow>(`SELECT ${COLUMNS} FROM training_jobs WHERE id = $1`, [
        id,
      ]);
      return rows[0] === undefined ? null : toJob(rows[0]);
    },

    async list(filter, page = {}) {
      const ids = [filter.teamId, filter.creatorId].filter((id) => id !== undefined);
      if (!ids.every(isId)) return { items: [], nextCursor: null };
      const where = ['team_id = $1'];
      const params: unknown[] = [filter.teamId];
      if (filter.creatorId !== undefined) where.push(`creator_id = $${params.push(filter.creatorId)}`);
      if (filter.status !== undefined)
        where.push(`status = ANY($${params.push(statusList(filter.status))}::text[])`);
      return keysetPage(db, { select: `SELECT ${COLUMNS} FROM training_jobs`, where, params }, page, toJob);
    },

    async markRunning(id, { backend, workerId = null }) {
      if (!isId(id)) return null;
      const { rows } = await db.query<TrainingJobRow>(
        `UPDATE training_jobs SET status = 'RUNNING', started_at = now(), backend = $2, worker_id = $3
         WHERE id = $1 AND status = 'QUEUED' RETURNING ${COLUMNS}`,
        [id, backend, workerId],
      );
      return rows[0] === undefined ? null : toJob(rows[0]);
    },

    async finish(id, outcome) {
      assertFinalStatus(outcome.status, outcome.error);
      if (!isId(id)) return null;
      const { rows } = await referencing(
        db.query<TrainingJobRow>(
          `UPDATE training_jobs SET status = $2, error = $3, finished_at = now(), model_id = $4,
           metrics = $5::jsonb, timings = $6::jsonb
         WHERE id = $1 AND status IN ('QUEUED', 'RUNNING') RETURNING ${COLUMNS}`,
          [
            id,
            outcome.status,
            outcome.error ?? null,
            outcome.modelId ?? null,
            jsonParam(outcome.metrics ?? undefined),
            jsonParam(outcome.timings ?? undefined),
          ],
        ),
      );
      return rows[0] === undefined ? null : toJob(rows[0]);
    },

    async listQueued() {
      const { rows } = await db.query<TrainingJobRow>(
        `SELECT ${COLUMNS} FROM training_jobs WHERE status = 'QUEUED' ORDER BY created_at, id`,
      );
      return rows.map(toJob);
    },

    async interruptRunning({ workerId, error = DEFAULT_INTERRUPTED } = {}) {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE training_jobs SET status = 'INTERRUPTED', error = $1, finished_at = now()
         WHERE status = 'RUNNING' AND ($2::text IS NULL OR worker_id = $2) RETURNING id`,
        [error, workerId ?? null],
      );
      return rows.map((row) => row.id);
    },

    async countActiveByCreator(creatorId) {
      if (!isId(creatorId)) return 0;
      const { rows } = await db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM training_jobs WHERE creator_id = $1 AND status = ANY($2::text[])',
        [creatorId, ACTIVE_STATUSES],
      );
      return rows[0]?.count ?? 0;
    },
  };
}
