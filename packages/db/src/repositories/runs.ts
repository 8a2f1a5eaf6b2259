import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, referencing } from '../driver.ts';
import { bytesToFloat32, float32ToBytes } from '../float32Bytes.ts';
import { isId, newId } from '../ids.ts';
import { JOB_STATUSES, type JobStatus } from '../jobStatus.ts';
import { type Json, jsonParam } from '../json.ts';
import type { Page, PageRequest } from '../pagination.ts';
import { type JobOutcome, type JobRepository, jobLifecycle } from './jobLifecycle.ts';

export interface Run {
  id: string;
  teamId: string;
  modelId: string;
  creatorId: string;
  /** The optimisation request as the server validated it (target, method, constraints, steps, ...). */
  spec: Json;
  status: JobStatus;
  error: string | null;
  backend: string | null;
  method: string | null;
  workerId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  timings: Json | null;
  /** Objective at the best input. */
  value: number | null;
  violation: number | null;
  /** Model outputs at the best input. */
  outputs: number[] | null;
  /** How realistic the best input is (measured against the model's dataset); null when not measured. */
  realism: Json | null;
  /** What a search in a prior found beside the answer (accentuation anchor, diverse prototypes); null: none. */
  priorSearch: Json | null;
}

export interface RunInputs {
  finalInput: Float32Array | null;
  bestInput: Float32Array | null;
}

/** What a finished run keeps. FAILED and INTERRUPTED need `error`; partial results may be kept with any status. */
export interface RunOutcome extends Partial<RunInputs>, JobOutcome {
  value?: number | null;
  violation?: number | null;
  outputs?: number[] | null;
  timings?: Json | null;
  realism?: Json | null;
  priorSearch?: Json | null;
}

export interface RunFilter {
  teamId: string;
  modelId?: string;
  creatorId?: string;
  status?: JobStatus | readonly JobStatus[];
}

export interface RunRepository extends JobRepository<Run, RunOutcome> {
  /** A QUEUED run. Throws InvalidArgumentError when the model is neither the team's own nor built-in. */
  create(run: { teamId: string; modelId: string; creatorId: string; spec: Json }): Promise<Run>;
  /** Newest first, keyset-paginated (see pagination.ts). */
  list(filter: RunFilter, page?: PageRequest): Promise<Page<Run>>;
  /** QUEUED → RUNNING. Null when the run is not QUEUED (cancelled meanwhile, or taken by another worker). */
  markRunning(
    id: string,
    start: { backend: string; method: string; workerId?: string | null },
  ): Promise<Run | null>;
  /**
   * While RUNNING: timings known before the end (the steps and starts a time budget chose); `finish`
   * replaces them. False when the run is not RUNNING.
   */
  recordTimings(id: string, timings: Json): Promise<boolean>;
  getInputs(id: string): Promise<RunInputs | null>;
  /** How many runs are in each status, across all teams (for metrics); every status is present. */
  countByStatus(): Promise<Record<JobStatus, number>>;
  /** With its steps, snapshots and share links. */
  delete(id: string): Promise<boolean>;
}

interface RunRow {
  id: string;
  team_id: string;
  model_id: string;
  creator_id: string;
  spec: Json;
  status: JobStatus;
  error: string | null;
  backend: string | null;
  method: string | null;
  worker_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  timings: Json | null;
  value: number | null;
  violation: number | null;
  outputs: number[] | null;
  realism: Json | null;
  prior_search: Json | null;
}

const COLUMNS = `id, team_id, model_id, creator_id, spec, status, error, backend, method, worker_id, created_at,
  started_at, finished_at, timings, value, violation, outputs, realism, prior_search`;

const toRun = (row: RunRow): Run => ({
  id: row.id,
  teamId: row.team_id,
  modelId: row.model_id,
  creatorId: row.creator_id,
  spec: row.spec,
  status: row.status,
  error: row.error,
  backend: row.backend,
  method: row.method,
  workerId: row.worker_id,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  timings: row.timings,
  value: row.value,
  violation: row.violation,
  outputs: row.outputs,
  realism: row.realism,
  priorSearch: row.prior_search,
});

const DEFAULT_INTERRUPTED = 'the server stopped while the run was running';

export function createRunRepository(db: Executor): RunRepository {
  const lifecycle = jobLifecycle(db, {
    table: 'runs',
    columns: COLUMNS,
    toJob: toRun,
    interruptedError: DEFAULT_INTERRUPTED,
  });
  return {
    async create({ teamId, modelId, creatorId, spec }) {
      // The model must be visible to the team: an ID from another team is refused here too, not only in the API.
      const { rows } = isId(modelId)
        ? await referencing(
            db.query<RunRow>(
              `INSERT INTO runs (id, team_id, model_id, creator_id, spec)
             SELECT $1, $2, m.id, $4, $5::jsonb FROM models m WHERE m.id = $3 AND (m.team_id = $2 OR m.team_id IS NULL)
             RETURNING ${COLUMNS}`,
              [newId(), teamId, modelId, creatorId, jsonParam(spec)],
            ),
          )
        : { rows: [] };
      if (rows[0] === undefined)
        throw new InvalidArgumentError(
          'modelId',
          modelId,
          `the ID of a model of team ${teamId} or a built-in model`,
        );
      return toRun(rows[0]);
    },

    get: (id) => lifecycle.get(id),

    list: (filter, page = {}) =>
      lifecycle.list(
        {
          teamId: filter.teamId,
          ids: { model_id: filter.modelId, creator_id: filter.creatorId },
          status: filter.status,
        },
        page,
      ),

    markRunning: (id, { backend, method, workerId = null }) =>
      lifecycle.claim(id, {
        backend: { value: backend },
        method: { value: method },
        worker_id: { value: workerId },
      }),

    async recordTimings(id, timings) {
      if (!isId(id)) return false;
      const { rowCount } = await db.query(
        `UPDATE runs SET timings = $2::jsonb WHERE id = $1 AND status = 'RUNNING'`,
        [id, jsonParam(timings)],
      );
      return rowCount === 1;
    },

    finish(id, outcome) {
      const bytes = (input: Float32Array | null | undefined) =>
        input == null ? null : float32ToBytes(input);
      return lifecycle.finish(id, outcome.status, outcome.error, {
        final_input: { value: bytes(outcome.finalInput) },
        best_input: { value: bytes(outcome.bestInput) },
        value: { value: outcome.value ?? null },
        violation: { value: outcome.violation ?? null },
        outputs: { value: outcome.outputs ?? null },
        timings: { value: jsonParam(outcome.timings ?? undefined), jsonb: true },
        realism: { value: jsonParam(outcome.realism ?? undefined), jsonb: true },
        prior_search: { value: jsonParam(outcome.priorSearch ?? undefined), jsonb: true },
      });
    },

    async getInputs(id) {
      if (!isId(id)) return null;
      const { rows } = await db.query<{ final_input: Uint8Array | null; best_input: Uint8Array | null }>(
        'SELECT final_input, best_input FROM runs WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (row === undefined) return null;
      const floats = (bytes: Uint8Array | null, what: string) =>
        bytes === null ? null : bytesToFloat32(bytes, what);
      return {
        finalInput: floats(row.final_input, 'finalInput'),
        bestInput: floats(row.best_input, 'bestInput'),
      };
    },

    listQueued: () => lifecycle.listQueued(),
    interruptRunning: (options) => lifecycle.interruptRunning(options),
    countActiveByCreator: (creatorId) => lifecycle.countActiveByCreator(creatorId),

    async countByStatus() {
      const { rows } = await db.query<{ status: JobStatus; count: number }>(
        'SELECT status, count(*)::int AS count FROM runs GROUP BY status',
      );
      const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<
        JobStatus,
        number
      >;
      for (const row of rows) counts[row.status] = row.count;
      return counts;
    },

    async delete(id) {
      if (!isId(id)) return false;
      const { rowCount } = await db.query('DELETE FROM runs WHERE id = $1', [id]);
      return rowCount > 0;
    },
  };
}
