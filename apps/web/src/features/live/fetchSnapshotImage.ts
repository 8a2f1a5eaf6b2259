import type { Client } from 'urql';
import { RunSnapshotQuery, SharedRunSnapshotQuery } from './runQueries.ts';
import type { RunSource } from './runSource.ts';

/** One stored snapshot's PNG data URL, outside React (GIF building walks many of them). */
export async function fetchSnapshotImage(
  client: Client,
  source: RunSource,
  step: number,
): Promise<string | null> {
  if (source.kind === 'member') {
    const result = await client.query(RunSnapshotQuery, { id: source.runId, step }).toPromise();
    if (result.error) throw new Error(result.error.message);
    return result.data?.run.snapshot?.image ?? null;
  }
  const result = await client.query(SharedRunSnapshotQuery, { token: source.token, step }).toPromise();
  if (result.error) throw new Error(result.error.message);
  return result.data?.sharedRun.snapshot?.image ?? null;
}
