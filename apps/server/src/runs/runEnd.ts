import type { Run, RunOutcome } from '@argmax/db/repositories/runs';
import type { Storage } from '@argmax/db/storage';
import type { EventBus } from '../pubsub/eventBus.ts';
import { certificateAsSeen, certificateEvent, isFinalCertificate } from './certificate/certificateView.ts';

export interface RunEndContext {
  storage: Storage;
  bus: EventBus;
  log: (line: string) => void;
  /** How storage writes are made (an executor waits out a database outage); default: directly. */
  stored?: <T>(what: string, write: () => Promise<T>) => Promise<T>;
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
 * Records a run's outcome (QUEUED | RUNNING → final), stops its certificate if unfinished (the bound so far
 * still holds) and publishes the ending. Null, with nothing published, when the run had already ended.
 */
export async function endRun(
  ctx: RunEndContext,
  runId: string,
  outcome: RunOutcome,
  certificateReason: string,
): Promise<Run | null> {
  const stored = ctx.stored ?? ((_what, write) => write());
  const run = await stored(`run ${runId}: recording its outcome`, () =>
    ctx.storage.runs.finish(runId, outcome),
  );
  if (!run) return null;
  await stored(`run ${runId}: stopping its certificate`, () =>
    ctx.storage.runCertificates.stopUnfinished([runId], certificateReason),
  );
  await publishRunEnd(ctx, run);
  return run;
}
