'use client';

import { useSubscription } from 'urql';
import { applyRunEvent, emptyLiveRun, type LiveRunState, type RunEventData } from './liveRunState.ts';
import { RunEventsSubscription } from './runQueries.ts';
import type { RunSource } from './runSource.ts';

/** Subscribes to `runEvents` and folds them into a LiveRunState (catch-up first, then live steps). */
export function useLiveRun(source: RunSource, pause = false) {
  const [result] = useSubscription(
    {
      query: RunEventsSubscription,
      variables: { runId: source.runId, shareToken: source.kind === 'share' ? source.token : null },
      pause,
    },
    (previous: LiveRunState | undefined, data): LiveRunState =>
      applyRunEvent(previous ?? emptyLiveRun, data.runEvents as RunEventData, performance.now()),
  );
  return { live: result.data ?? emptyLiveRun, error: result.error };
}
