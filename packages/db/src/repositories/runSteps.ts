import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, referencing } from '../driver.ts';
import { isId } from '../ids.ts';
import { float8Json, jsonParam } from '../json.ts';

/** The scalars of one optimisation step; kept for every step of a run. */
export interface RunStep {
  /** Counts across restarts, from 0: the key of the step within its run. */
  step: number;
  restart: number;
  objective: number;
  /** null when the run has no constraints. */
  violation: number | null;
  outputs: number[];
}

export interface ReadStepsOptions {
  /** First step to return (inclusive); a late joiner passes 0, a reconnecting one its last step + 1. */
  fromStep?: number;
  /** At most this many steps (default and maximum 10 000); read again from the last one + 1 for more. */
  limit?: number;
  /** Every n-th step from `fromStep` (a summary of a long run); default 1. */
  every?: number;
}

export interface RunStepRepository {
  /**
   * Appends a batch in one statement. Idempotent: a step already stored is kept, so a retried batch never
   * duplicates. Returns how many were new.
   */
  append(runId: string, steps: readonly (Omit<RunStep, 'restart'> & { restart?: number })[]): Promise<number>;
  /** Ordered by step. */
  read(runId: string, options?: ReadStepsOptions): Promise<RunStep[]>;
  /** The highest stored step, or null before the first. */
  lastStep(runId: string): Promise<number | null>;
  count(runId: string): Promise<number>;
}

export const MAX_STEPS_PER_READ = 10_000;

function positiveInt(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max)
    throw new InvalidArgumentError(name, value, `an integer from 1 to ${max}`);
  return value;
}

export function createRunStepRepository(db: Executor): RunStepRepository {
  return {
    async append(runId, steps) {
      if (steps.length === 0) return 0;
      // One jsonb parameter carries the whole batch: the same SQL works on both drivers, whatever the size.
      const batch = steps.map((s, i) => {
        if (!Number.isSafeInteger(s.step) || s.step < 0)
          throw new InvalidArgumentError(`steps[${i}].step`, s.step, 'an integer ≥ 0');
        return {
          step: s.step,
          restart: s.restart ?? 0,
          objective: float8Json(s.objective),
          violation: s.violation === null ? null : float8Json(s.violation),
          // An array literal: PostgreSQL parses it ~3× faster than a jsonb array turned into float8[].
          // String() spells NaN and ±Infinity as float8's input accepts them.
          outputs: `{${s.outputs.map(String).join(',')}}`,
        };
      });
      const { rowCount } = await referencing(
        db.query(
          `INSERT INTO run_steps (run_id, step, restart, objective, violation, outputs)
         SELECT $1, (e->>'step')::int, (e->>'restart')::int, (e->>'objective')::float8, (e->>'violation')::float8,
           (e->>'outputs')::float8[]
         FROM jsonb_array_elements($2::jsonb) AS b(e)
         ON CONFLICT (run_id, step) DO NOTHING`,
          [runId, jsonParam(batch)],
        ),
      );
      return rowCount;
    },

    async read(runId, { fromStep = 0, limit = MAX_STEPS_PER_READ, every = 1 } = {}) {
      if (!isId(runId)) return [];
      if (!Number.isSafeInteger(fromStep) || fromStep < 0)
        throw new InvalidArgumentError('fromStep', fromStep, 'an integer ≥ 0');
      positiveInt('limit', limit, MAX_STEPS_PER_READ);
      positiveInt('every', every);
      const { rows } = await db.query<RunStep>(
        `SELECT step, restart, objective, violation, outputs FROM run_steps
         WHERE run_id = $1 AND step >= $2 AND ($4 = 1 OR (step - $2) % $4 = 0)
         ORDER BY step LIMIT $3`,
        [runId, fromStep, limit, every],
      );
      return rows;
    },

    async lastStep(runId) {
      if (!isId(runId)) return null;
      const { rows } = await db.query<{ step: number | null }>(
        'SELECT max(step) AS step FROM run_steps WHERE run_id = $1',
        [runId],
      );
      return rows[0]?.step ?? null;
    },

    async count(runId) {
      if (!isId(runId)) return 0;
      const { rows } = await db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM run_steps WHERE run_id = $1',
        [runId],
      );
      return rows[0]?.count ?? 0;
    },
  };
}
