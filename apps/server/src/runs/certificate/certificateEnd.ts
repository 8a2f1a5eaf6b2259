import type { Run, Storage } from '@argmax/db';
import type { StorageWrite } from '../../jobs/jobKind.ts';
import type { EventBus } from '../../pubsub/eventBus.ts';
import { certificateAsSeen, finalWordEvent } from './certificateView.ts';
import { certificateStopReason } from './runCertificate.ts';

/**
 * A run's certificate once the run's outcome is stored: one left unfinished stops (the bound so far still
 * holds), then its final word as storage has it is published (what a late joiner replays: STOPPED, with the
 * bound reached; OFF when none was asked for). A final word already sent live (a DONE certificate) carries
 * the same index and subscribers skip the repeat. The run's final status follows it.
 */
export async function endCertificate(
  ctx: { storage: Storage; bus: EventBus; log: (line: string) => void },
  run: Pick<Run, 'id' | 'status' | 'error'>,
  write: StorageWrite,
): Promise<void> {
  await write(`run ${run.id}: stopping its certificate`, () =>
    ctx.storage.runCertificates.stopUnfinished([run.id], certificateStopReason(run.status, run.error)),
  );
  try {
    const stored = await ctx.storage.runCertificates.get(run.id);
    const word = stored && finalWordEvent(run.id, certificateAsSeen(stored, run.status), Date.now());
    if (word) ctx.bus.publish('run', run.id, word);
  } catch (error) {
    // Watchers still learn that the run ended; its certificate is read from storage when they ask.
    ctx.log(`run ${run.id}: reading its certificate for live watchers failed: ${error}`);
  }
}
