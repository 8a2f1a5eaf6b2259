import { InvalidArgumentError } from '@argmax/core/errors';

/** Shared by runs and training jobs: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED | INTERRUPTED. */
export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** Ended: nothing about the job changes any more. */
export const isFinalStatus = (status: string): status is FinalStatus =>
  (FINAL_STATUSES as readonly string[]).includes(status);

/** Not finished: counts against per-user limits and is what a restart interrupts or re-queues. */
export const ACTIVE_STATUSES = ['QUEUED', 'RUNNING'] as const;

/** Accepts one status or a list; returns the list, checked. */
export function statusList(status: JobStatus | readonly JobStatus[]): JobStatus[] {
  const list = typeof status === 'string' ? [status] : [...status];
  for (const s of list)
    if (!(JOB_STATUSES as readonly string[]).includes(s))
      throw new InvalidArgumentError('status', s, JOB_STATUSES.join(' | '));
  return list;
}

/** A FAILED or INTERRUPTED job must say why; a finish to a non-final status is a bug in the caller. */
export function assertFinalStatus(
  status: string,
  error: string | null | undefined,
): asserts status is FinalStatus {
  if (!isFinalStatus(status)) throw new InvalidArgumentError('status', status, FINAL_STATUSES.join(' | '));
  if ((status === 'FAILED' || status === 'INTERRUPTED') && (error == null || error.trim() === ''))
    throw new InvalidArgumentError('error', error, `a message saying why the job is ${status}`);
}
