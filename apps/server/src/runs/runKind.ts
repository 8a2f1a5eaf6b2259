import type { Run, Storage } from '@argmax/db';
import type { JobKind } from '../jobs/jobKind.ts';
import type { EventBus } from '../pubsub/eventBus.ts';
import { endCertificate } from './certificate/certificateEnd.ts';

export interface RunKindContext {
  storage: Storage;
  bus: EventBus;
  log: (line: string) => void;
}

/**
 * Runs as the job machinery knows them (`jobs/jobKind.ts`): their rows, the RUNNING event, and the end.
 */
export function runKind(ctx: RunKindContext): JobKind<Run> {
  return {
    name: 'run',
    rows: ctx.storage.runs,
    publishStarted: (id) =>
      ctx.bus.publish('run', id, { type: 'status', runId: id, status: 'RUNNING', error: null }),
    // Every way a run ends publishes through here, so live watchers and late joiners see the same ending:
    // the certificate's final word, then the run's final status, which ends every stream.
    async ended(run, write) {
      await endCertificate(ctx, run, write);
      ctx.bus.publish('run', run.id, { type: 'status', runId: run.id, status: run.status, error: run.error });
    },
  };
}
