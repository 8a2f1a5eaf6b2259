import { type Executor, referencing } from '../driver.ts';
import { isId } from '../ids.ts';
import {
  ACTIVE_STATUSES,
  assertFinalStatus,
  type FinalStatus,
  type JobStatus,
  statusList,
} from '../jobStatus.ts';
import { keysetPage, type Page, type PageRequest } from '../pagination.ts';

/**
 * The lifecycle every job table shares (runs, training jobs), written once: QUEUED → RUNNING (the claim,
 * which only one executor wins), QUEUED | RUNNING → a final status (which never changes again), RUNNING →
 * INTERRUPTED at start-up, the QUEUED backlog and the per-user count of active jobs. Each repository adds
 * the columns its kind of job sets on the way.
 */
export interface JobTable<Row, Job> {
  table: 'runs' | 'training_jobs';
  /** The SELECT list that `toJob` reads. */
  columns: string;
  toJob: (row: Row) => Job;
  /** Recorded on jobs interrupted without a reason. */
  interruptedError: string;
}

/** How a job ended, as every kind records it; each kind's outcome adds its own results. */
export interface JobOutcome {
  status: FinalStatus;
  error?: string | null;
}

/** What every job repository offers of the shared lifecycle, whatever its kind's columns. */
export interface JobRepository<Job, Outcome extends JobOutcome> {
  get(id: string): Promise<Job | null>;
  /** QUEUED | RUNNING → a final status. Null when the job had already finished: final states never change. */
  finish(id: string, outcome: Outcome): Promise<Job | null>;
  /**
   * At start-up: RUNNING jobs (of this worker, when given) become INTERRUPTED, keeping what they recorded.
   * Returns their IDs.
   */
  interruptRunning(options?: { workerId?: string; error?: string }): Promise<string[]>;
  /** Every QUEUED job, oldest first: at start-up (and with a distributed queue) they are handed out again. */
  listQueued(): Promise<Job[]>;
  /** QUEUED + RUNNING jobs of a user, for the per-user limit. */
  countActiveByCreator(creatorId: string): Promise<number>;
}

/** Extra columns a step sets, by name; `jsonb` marks a column whose value goes in as JSON text. */
export type JobColumns = Record<string, { value: unknown; jsonb?: boolean }>;

/** Which of a team's jobs to list: by ID columns (`creator_id`, `model_id`) and statuses, when given. */
export interface JobListFilter {
  teamId: string;
  ids?: Record<string, string | undefined>;
  status?: JobStatus | readonly JobStatus[] | undefined;
}

export interface JobLifecycle<Job> {
  get(id: string): Promise<Job | null>;
  /** Newest first, keyset-paginated (see pagination.ts). */
  list(filter: JobListFilter, page: PageRequest): Promise<Page<Job>>;
  /** QUEUED → RUNNING; null when the job is not QUEUED (cancelled meanwhile, or taken by another worker). */
  claim(id: string, columns: JobColumns): Promise<Job | null>;
  /** QUEUED | RUNNING → a final status; null when the job had already finished. */
  finish(
    id: string,
    status: FinalStatus,
    error: string | null | undefined,
    columns: JobColumns,
  ): Promise<Job | null>;
  /** RUNNING jobs (of this worker, when given) become INTERRUPTED. Returns their IDs. */
  interruptRunning(options?: { workerId?: string; error?: string }): Promise<string[]>;
  /** Every QUEUED job, oldest first. */
  listQueued(): Promise<Job[]>;
  /** QUEUED + RUNNING jobs of a user, for the per-user limit. */
  countActiveByCreator(creatorId: string): Promise<number>;
}

/** `, a = $3, b = $4::jsonb` for columns whose parameters start at `$first`, and their values. */
function assignments(columns: JobColumns, first: number): { sql: string; values: unknown[] } {
  const entries = Object.entries(columns);
  return {
    sql: entries.map(([name, c], i) => `, ${name} = $${first + i}${c.jsonb ? '::jsonb' : ''}`).join(''),
    values: entries.map(([, c]) => c.value),
  };
}

export function jobLifecycle<Row extends { created_at: Date; id: string }, Job>(
  db: Executor,
  t: JobTable<Row, Job>,
): JobLifecycle<Job> {
  const one = (rows: Row[]) => (rows[0] === undefined ? null : t.toJob(rows[0]));
  return {
    async get(id) {
      if (!isId(id)) return null;
      return one((await db.query<Row>(`SELECT ${t.columns} FROM ${t.table} WHERE id = $1`, [id])).rows);
    },

    async list({ teamId, ids = {}, status }, page) {
      const narrowing = Object.entries(ids).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      );
      if (!isId(teamId) || !narrowing.every(([, id]) => isId(id))) return { items: [], nextCursor: null };
      const where = ['team_id = $1'];
      const params: unknown[] = [teamId];
      for (const [column, id] of narrowing) where.push(`${column} = $${params.push(id)}`);
      if (status !== undefined) where.push(`status = ANY($${params.push(statusList(status))}::text[])`);
      return keysetPage(db, { select: `SELECT ${t.columns} FROM ${t.table}`, where, params }, page, t.toJob);
    },

    async claim(id, columns) {
      if (!isId(id)) return null;
      const set = assignments(columns, 2);
      const { rows } = await db.query<Row>(
        `UPDATE ${t.table} SET status = 'RUNNING', started_at = now()${set.sql}
         WHERE id = $1 AND status = 'QUEUED' RETURNING ${t.columns}`,
        [id, ...set.values],
      );
      return one(rows);
    },

    async finish(id, status, error, columns) {
      assertFinalStatus(status, error);
      if (!isId(id)) return null;
      const set = assignments(columns, 4);
      const { rows } = await referencing(
        db.query<Row>(
          `UPDATE ${t.table} SET status = $2, error = $3, finished_at = now()${set.sql}
           WHERE id = $1 AND status IN ('QUEUED', 'RUNNING') RETURNING ${t.columns}`,
          [id, status, error ?? null, ...set.values],
        ),
      );
      return one(rows);
    },

    async interruptRunning({ workerId, error = t.interruptedError } = {}) {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE ${t.table} SET status = 'INTERRUPTED', error = $1, finished_at = now()
         WHERE status = 'RUNNING' AND ($2::text IS NULL OR worker_id = $2) RETURNING id`,
        [error, workerId ?? null],
      );
      return rows.map((row) => row.id);
    },

    async listQueued() {
      const { rows } = await db.query<Row>(
        `SELECT ${t.columns} FROM ${t.table} WHERE status = 'QUEUED' ORDER BY created_at, id`,
      );
      return rows.map(t.toJob);
    },

    async countActiveByCreator(creatorId) {
      if (!isId(creatorId)) return 0;
      const { rows } = await db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${t.table} WHERE creator_id = $1 AND status = ANY($2::text[])`,
        [creatorId, ACTIVE_STATUSES],
      );
      return rows[0]?.count ?? 0;
    },
  };
}
