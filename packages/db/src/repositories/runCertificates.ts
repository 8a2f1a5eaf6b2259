import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, referencing } from '../driver.ts';
import { isId } from '../ids.ts';
import { jsonParam } from '../json.ts';

export const CERTIFICATE_STATUSES = ['PENDING', 'RUNNING', 'DONE', 'UNSUPPORTED', 'OFF', 'STOPPED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** One point of the bound's history: where the upper bound and the best value stood after `seconds`. */
export interface CertificateBound {
  seconds: number;
  upperBound: number;
  /** Null while no feasible input is known. */
  bestValue: number | null;
  /** (upperBound − bestValue) / |upperBound|; null while infinite. */
  gap: number | null;
  /** What produced the bound: ibp, crown, milp, bab. */
  method: string;
}

/** A run's certificate: "no input scores above upperBound; bestValue is reached", or why there is none. */
export interface RunCertificate {
  runId: string;
  status: CertificateStatus;
  timeLimitSeconds: number;
  bestValue: number | null;
  upperBound: number | null;
  gap: number | null;
  /** bestValue is the optimum within the certifier's tolerance (set when DONE). */
  proven: boolean | null;
  method: string | null;
  /** Why there is no certificate (UNSUPPORTED, OFF) or why it is incomplete (STOPPED). */
  reason: string | null;
  seconds: number | null;
  history: CertificateBound[];
  updatedAt: Date;
}

export type CertificateOutcome =
  | {
      status: 'DONE';
      bestValue: number | null;
      upperBound: number;
      gap: number | null;
      proven: boolean;
      method: string;
      seconds: number;
    }
  | { status: 'UNSUPPORTED' | 'STOPPED'; reason: string };

export interface RunCertificateRepository {
  /** A new run's certificate: PENDING, or OFF with the reason. Idempotent: an existing one is returned. */
  create(
    runId: string,
    certificate: { timeLimitSeconds: number; status?: 'PENDING' | 'OFF'; reason?: string },
  ): Promise<RunCertificate>;
  get(runId: string): Promise<RunCertificate | null>;
  /**
   * Appends bound points (oldest first) and makes the last one current; PENDING becomes RUNNING. False once
   * the certificate is final (DONE, UNSUPPORTED, OFF, STOPPED): those never change.
   */
  appendBounds(runId: string, bounds: readonly CertificateBound[]): Promise<boolean>;
  /** PENDING | RUNNING → a final status. STOPPED keeps the last bound (it is still sound). Null when final. */
  finish(runId: string, outcome: CertificateOutcome): Promise<RunCertificate | null>;
  /** Certificates of these runs still PENDING or RUNNING become STOPPED (e.g. after a restart). */
  stopUnfinished(runIds: readonly string[], reason: string): Promise<number>;
}

interface CertificateRow {
  run_id: string;
  status: CertificateStatus;
  time_limit_seconds: number;
  best_value: number | null;
  upper_bound: number | null;
  gap: number | null;
  proven: boolean | null;
  method: string | null;
  reason: string | null;
  seconds: number | null;
  history: CertificateBound[];
  updated_at: Date;
}

const COLUMNS = `run_id, status, time_limit_seconds, best_value, upper_bound, gap, proven, method, reason, seconds,
  history, updated_at`;

const toCertificate = (row: CertificateRow): RunCertificate => ({
  runId: row.run_id,
  status: row.status,
  timeLimitSeconds: row.time_limit_seconds,
  bestValue: row.best_value,
  upperBound: row.upper_bound,
  gap: row.gap,
  proven: row.proven,
  method: row.method,
  reason: row.reason,
  seconds: row.seconds,
  history: row.history,
  updatedAt: row.updated_at,
});

/** Infinite or NaN figures mean "not known yet": stored as null (JSON and GraphQL have no Infinity). */
const finiteOrNull = (x: number | null | undefined) => (x != null && Number.isFinite(x) ? x : null);

function checkBound(bound: CertificateBound, at: string): CertificateBound {
  if (!Number.isFinite(bound.upperBound))
    throw new InvalidArgumentError(`${at}.upperBound`, bound.upperBound, 'a finite number');
  if (!Number.isFinite(bound.seconds) || bound.seconds < 0)
    throw new InvalidArgumentError(`${at}.seconds`, bound.seconds, 'a finite number ≥ 0');
  const bestValue = finiteOrNull(bound.bestValue);
  if (bestValue !== null && bestValue > bound.upperBound)
    throw new InvalidArgumentError(`${at}.upperBound`, bound.upperBound, `a bound ≥ bestValue ${bestValue}`);
  return {
    seconds: bound.seconds,
    upperBound: bound.upperBound,
    bestValue,
    gap: finiteOrNull(bound.gap),
    method: bound.method,
  };
}

export function createRunCertificateRepository(db: Executor): RunCertificateRepository {
  const get = async (runId: string) => {
    if (!isId(runId)) return null;
    const { rows } = await db.query<CertificateRow>(
      `SELECT ${COLUMNS} FROM run_certificates WHERE run_id = $1`,
      [runId],
    );
    return rows[0] === undefined ? null : toCertificate(rows[0]);
  };

  return {
    get,

    async create(runId, { timeLimitSeconds, status = 'PENDING', reason }) {
      if (!isId(runId)) throw new InvalidArgumentError('runId', runId, 'the ID of an existing run');
      if (!Number.isFinite(timeLimitSeconds) || timeLimitSeconds < 0)
        throw new InvalidArgumentError('timeLimitSeconds', timeLimitSeconds, 'a finite number ≥ 0');
      if (status === 'OFF' && !reason?.trim())
        throw new InvalidArgumentError('reason', reason, 'why the run has no certificate');
      await referencing(
        db.query(
          `INSERT INTO run_certificates (run_id, status, time_limit_seconds, reason) VALUES ($1, $2, $3, $4)
           ON CONFLICT (run_id) DO NOTHING`,
          [runId, status, timeLimitSeconds, reason ?? null],
        ),
      );
      const created = await get(runId);
      if (!created) throw new InvalidArgumentError('runId', runId, 'the ID of an existing run');
      return created;
    },

    async appendBounds(runId, bounds) {
      if (!isId(runId) || bounds.length === 0) return false;
      const points = bounds.map((b, i) => checkBound(b, `bounds[${i}]`));
      const last = points.at(-1)!;
      const { rowCount } = await db.query(
        `UPDATE run_certificates SET status = 'RUNNING', history = history || $2::jsonb, best_value = $3,
           upper_bound = $4, gap = $5, method = $6, seconds = $7, updated_at = now()
         WHERE run_id = $1 AND status IN ('PENDING', 'RUNNING')`,
        [runId, jsonParam(points), last.bestValue, last.upperBound, last.gap, last.method, last.seconds],
      );
      return rowCount > 0;
    },

    async finish(runId, outcome) {
      if (!isId(runId)) return null;
      if (outcome.status === 'DONE') {
        const final = checkBound({ ...outcome }, 'outcome');
        const { rows } = await db.query<CertificateRow>(
          `UPDATE run_certificates SET status = 'DONE', best_value = $2, upper_bound = $3, gap = $4,
             proven = $5, method = $6, seconds = $7, reason = NULL, updated_at = now()
           WHERE run_id = $1 AND status IN ('PENDING', 'RUNNING') RETURNING ${COLUMNS}`,
          [runId, final.bestValue, final.upperBound, final.gap, outcome.proven, final.method, final.seconds],
        );
        return rows[0] === undefined ? null : toCertificate(rows[0]);
      }
      if (outcome.status !== 'UNSUPPORTED' && outcome.status !== 'STOPPED')
        throw new InvalidArgumentError('status', outcome.status, 'DONE | UNSUPPORTED | STOPPED');
      if (!outcome.reason?.trim())
        throw new InvalidArgumentError('reason', outcome.reason, `why the certificate is ${outcome.status}`);
      const { rows } = await db.query<CertificateRow>(
        `UPDATE run_certificates SET status = $2, reason = $3, updated_at = now()
         WHERE run_id = $1 AND status IN ('PENDING', 'RUNNING') RETURNING ${COLUMNS}`,
        [runId, outcome.status, outcome.reason],
      );
      return rows[0] === undefined ? null : toCertificate(rows[0]);
    },

    async stopUnfinished(runIds, reason) {
      const ids = runIds.filter(isId);
      if (ids.length === 0) return 0;
      const { rowCount } = await db.query(
        `UPDATE run_certificates SET status = 'STOPPED', reason = $2, updated_at = now()
         WHERE run_id = ANY($1::uuid[]) AND status IN ('PENDING', 'RUNNING')`,
        [ids, reason],
      );
      return rowCount;
    },
  };
}
