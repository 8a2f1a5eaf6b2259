'use client';

import { useQuery } from 'urql';
import type { CurvePoint } from './liveRunState.ts';
import { RunCurveQuery, SharedRunCurveQuery } from './runQueries.ts';
import type { RunSource } from './runSource.ts';

/** About this many points of history are loaded; the live stream adds the steps after them. */
const HISTORY_POINTS = 500;

/**
 * The objective curve stored so far (the stream's catch-up is a summary, so history comes from storage).
 * Refetches when `stepCount` changes, e.g. after the run finished.
 */
export function useStoredCurve(source: RunSource, stepCount: number): readonly CurvePoint[] {
  const every = Math.max(1, Math.ceil(stepCount / HISTORY_POINTS));
  const [member] = useQuery({
    query: RunCurveQuery,
    variables: { id: source.runId, every },
    pause: source.kind !== 'member' || stepCount === 0,
  });
  const [shared] = useQuery({
    query: SharedRunCurveQuery,
    variables: { token: source.kind === 'share' ? source.token : '', every },
    pause: source.kind !== 'share' || stepCount === 0,
  });
  const steps = source.kind === 'member' ? member.data?.run.steps : shared.data?.sharedRun.steps;
  return steps ?? [];
}

/** Stored and live points in step order, one per step (live wins: it is the same step, just fresher). */
export function mergeCurves(stored: readonly CurvePoint[], live: readonly CurvePoint[]): CurvePoint[] {
  const byStep = new Map<number, CurvePoint>();
  for (const p of stored) byStep.set(p.step, p);
  for (const p of live) byStep.set(p.step, p);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
