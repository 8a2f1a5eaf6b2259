'use client';

import { useQuery } from 'urql';
import { RunSnapshotQuery, SharedRunSnapshotQuery } from './runQueries.ts';
import type { RunSource } from './runSource.ts';

/** The stored input image at `step` (null = none picked), through whichever access the page has. */
export function useRunSnapshot(source: RunSource, step: number | null) {
  const asMember = source.kind === 'member';
  const [member] = useQuery({
    query: RunSnapshotQuery,
    variables: { id: source.runId, step: step ?? 0 },
    pause: step === null || !asMember,
  });
  const [shared] = useQuery({
    query: SharedRunSnapshotQuery,
    variables: { token: source.kind === 'share' ? source.token : '', step: step ?? 0 },
    pause: step === null || asMember,
  });
  const result = asMember ? member : shared;
  const run = asMember ? member.data?.run : shared.data?.sharedRun;
  return { image: run?.snapshot?.image ?? null, fetching: result.fetching, error: result.error };
}
