import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, referencing } from '../driver.ts';
import { bytesToFloat32, float32ToBytes } from '../float32Bytes.ts';
import { isId } from '../ids.ts';

/** The full input at one step; the runner decides which steps (a decimated schedule). */
export interface RunSnapshot {
  step: number;
  input: Float32Array;
}

export interface RunSnapshotRepository {
  /** Idempotent like step appends: a snapshot already stored for a step is kept. Returns how many were new. */
  append(runId: string, snapshots: readonly RunSnapshot[]): Promise<number>;
  /** The steps that have a snapshot, ascending. */
  listSteps(runId: string): Promise<number[]>;
  /** Ordered by step, from `fromStep` (inclusive), at most `limit` (default 100). */
  read(runId: string, options?: { fromStep?: number; limit?: number }): Promise<RunSnapshot[]>;
  get(runId: string, step: number): Promise<Float32Array | null>;
  /** The last persisted input: where a retried run can resume. */
  latest(runId: string): Promise<RunSnapshot | null>;
}

export function createRunSnapshotRepository(db: Executor): RunSnapshotRepository {
  const toSnapshot = (row: { step: number; input: Uint8Array }): RunSnapshot => ({
    step: row.step,
    input: bytesToFloat32(row.input, `snapshot ${row.step}`),
  });

  return {
    async append(runId, snapshots) {
      if (snapshots.length === 0) return 0;
      const params: unknown[] = [runId];
      const values = snapshots.map((s, i) => {
        if (!Number.isSafeInteger(s.step) || s.step < 0)
          throw new InvalidArgumentError(`snapshots[${i}].step`, s.step, 'an integer ≥ 0');
        return `($1, $${params.push(s.step)}::int, $${params.push(float32ToBytes(s.input))}::bytea)`;
      });
      const { rowCount } = await referencing(
        db.query(
          `INSERT INTO run_snapshots (run_id, step, input) VALUES ${values.join(', ')}
         ON CONFLICT (run_id, step) DO NOTHING`,
          params,
        ),
      );
      return rowCount;
    },

    async listSteps(runId) {
      if (!isId(runId)) return [];
      const { rows } = await db.query<{ step: number }>(
        'SELECT step FROM run_snapshots WHERE run_id = $1 ORDER BY step',
        [runId],
      );
      return rows.map((row) => row.step);
    },

    async read(runId, { fromStep = 0, limit = 100 } = {}) {
      if (!isId(runId)) return [];
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
        throw new InvalidArgumentError('limit', limit, 'an integer from 1 to 1000');
      const { rows } = await db.query<{ step: number; input: Uint8Array }>(
        'SELECT step, input FROM run_snapshots WHERE run_id = $1 AND step >= $2 ORDER BY step LIMIT $3',
        [runId, fromStep, limit],
      );
      return rows.map(toSnapshot);
    },

    async get(runId, step) {
      if (!isId(runId) || !Number.isSafeInteger(step)) return null;
      const { rows } = await db.query<{ step: number; input: Uint8Array }>(
        'SELECT step, input FROM run_snapshots WHERE run_id = $1 AND step = $2',
        [runId, step],
      );
      return rows[0] === undefined ? null : toSnapshot(rows[0]).input;
    },

    async latest(runId) {
      if (!isId(runId)) return null;
      const { rows } = await db.query<{ step: number; input: Uint8Array }>(
        'SELECT step, input FROM run_snapshots WHERE run_id = $1 ORDER BY step DESC LIMIT 1',
        [runId],
      );
      return rows[0] === undefined ? null : toSnapshot(rows[0]);
    },
  };
}
