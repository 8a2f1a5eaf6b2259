import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, referencing } from '../driver.ts';
import { isId } from '../ids.ts';
import { jsonParam } from '../json.ts';

/** One progress report of a training job: the end of an epoch, or of a batch within one. */
export interface TrainingEvent {
  /** Position in the job's event stream, from 0: the key, and where a late joiner resumes. */
  seq: number;
  kind: 'epoch' | 'batch';
  epoch: number;
  /** null for epoch events. */
  batch: number | null;
  /** loss, acc, val_loss, ... (JSON: a non-finite value is stored as null). */
  metrics: Record<string, number | null>;
}

export interface TrainingEventRepository {
  /** Idempotent per seq, like run steps. Returns how many were new. */
  append(jobId: string, events: readonly TrainingEvent[]): Promise<number>;
  /** Ordered by seq, from `fromSeq` (inclusive), at most `limit` (default and maximum 10 000). */
  read(jobId: string, options?: { fromSeq?: number; limit?: number }): Promise<TrainingEvent[]>;
}

export function createTrainingEventRepository(db: Executor): TrainingEventRepository {
  return {
    async append(jobId, events) {
      if (events.length === 0) return 0;
      events.forEach((e, i) => {
        if (!Number.isSafeInteger(e.seq) || e.seq < 0)
          throw new InvalidArgumentError(`events[${i}].seq`, e.seq, 'an integer ≥ 0');
        if (e.kind !== 'epoch' && e.kind !== 'batch')
          throw new InvalidArgumentError(`events[${i}].kind`, e.kind, "'epoch' | 'batch'");
      });
      const { rowCount } = await referencing(
        db.query(
          `INSERT INTO training_events (job_id, seq, kind, epoch, batch, metrics)
         SELECT $1, (e->>'seq')::int, e->>'kind', (e->>'epoch')::int, (e->>'batch')::int, e->'metrics'
         FROM jsonb_array_elements($2::jsonb) AS b(e)
         ON CONFLICT (job_id, seq) DO NOTHING`,
          [jobId, jsonParam(events)],
        ),
      );
      return rowCount;
    },

    async read(jobId, { fromSeq = 0, limit = 10_000 } = {}) {
      if (!isId(jobId)) return [];
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000)
        throw new InvalidArgumentError('limit', limit, 'an integer from 1 to 10000');
      const { rows } = await db.query<TrainingEvent>(
        `SELECT seq, kind, epoch, batch, metrics FROM training_events
         WHERE job_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
        [jobId, fromSeq, limit],
      );
      return rows;
    },
  };
}
