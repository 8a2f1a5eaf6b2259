import type { Run } from '@argmax/db/repositories/runs';
import type { Storage } from '@argmax/db/storage';
import type { JobKind } from '../jobs/jobKind.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import { certificateAsSeen, certificateEvent, isFinalCertificate } from './certificate/certificateView.ts';
import { certificateStopReason } from './certificate/runCertificate.ts';

export interface RunEndContext {
  storage: Storage;
  bus: EventBus;
  log: (line: string) => void;
}

/**
 * The last live events of a run whose outcome is stored: the certificate's final word as storage has it
 * (what a late joiner replays: STOPPED, with the bound reached, when the run left it unfinished; OFF when
 * none was asked for), then the run's final status, which ends every stream. Every way a run ends
 * publishes through here, so live watchers and late joiners see the same ending. A final word already sent
 * live (a DONE certificate) carries the same index and subscribers skip the repeat.
 */
export async function publishRunEnd(
  ctx: RunEndContext,
  run: Pick<Run, 'id' | 'status' | 'error'>,
): Promise<void> {
  try {
    const stored = await ctx.storage.runCertificates.get(run.id);
    const certificate = stored && certificateAsSeen(stored, run.status);
    if (certificate && isFinalCertificate(certificate.status))
      ctx.bus.publish(
        'run',
        run.id,
        certificateEvent(run.id, certificate.history.length, certificate, Date.now()),
      );
  } catch (error) {
    // Watchers still learn that the run ended; its certificate is read from storage when they ask.
    ctx.log(`run ${run.id}: reading its certificate for live watchers failed: ${error}`);
  }
  ctx.bus.publish('run', run.id, { type: 'status', runId: run.id, status: run.status, error: run.error });
}

/**
 * Runs as the job machinery knows them (`jobs/jobKind.ts`): their rows, the RUNNING event, and the end:
 * an unfinished certificate stops (the bound so far still holds), then the ending is published.
 */
export function runKind(ctx: RunEndContext): JobKind<Run> {
  return {
    name: 'run',
    rows: ctx.storage.runs,
    publishStarted: (id) =>
      ctx.bus.publish('run', id, { type: 'status', runId: id, status: 'RUNNING', error: null }),
    async ended(run, write) {
      await write(`run ${run.id}: stopping its certificate`, () =>
        ctx.storage.runCertificates.stopUnfinished([run.id], certificateStopReason(run.status, run.error)),
      );
      await publishRunEnd(ctx, run);
    },
  };
}
