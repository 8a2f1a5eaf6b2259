import { isFinalStatus, type Storage, type TrainingEvent, type TrainingJob } from '@argmax/db';
import { Repeater } from 'graphql-yoga';
import type { EventBus, TrainingEventMessage } from '../pubsub/eventBus.ts';
import { holdLive } from '../pubsub/holdLive.ts';

/** The most stored events read at once (the repository's own maximum). */
const READ_PAGE = 10_000;

/**
 * Everything a subscriber of one training job sees: its status, the epoch and batch events stored so far
 * (a late joiner's history), then the live events, ending with the final status. A job that ended before
 * the subscriber came still gives its whole history and its end, never a stream that waits forever.
 */
export function trainingEventStream(
  job: TrainingJob,
  storage: Storage,
  bus: EventBus,
): AsyncIterable<TrainingEventMessage> {
  const live = bus.subscribe('training', job.id);
  return new Repeater<TrainingEventMessage>(async (push, stop) => {
    let lastSeq = -1;
    // The final status went out, or the subscriber left (its pushes would resolve at once, so the
    // history would be read to its end for nobody).
    let ended = false;
    stop.then(() => {
      ended = true;
    });
    /** Resolves once the subscriber has taken the event (undefined when it is skipped). */
    const emit = (event: TrainingEventMessage): Promise<unknown> | undefined => {
      if (ended) return undefined;
      if (event.kind !== 'status') {
        if (event.seq <= lastSeq) return undefined;
        lastSeq = event.seq;
      }
      const taken = push(event);
      if (event.kind === 'status' && isFinalStatus(String(event.payload.status))) {
        ended = true;
        stop();
      }
      return taken;
    };
    // Live events wait while storage is read; the repeats among them are skipped by seq.
    const held = holdLive(live, emit, () => ended);
    // Over Redis the subscription is registered before storage is read (the bus says when).
    await bus.listening();
    const current = (await storage.trainingJobs.get(job.id)) ?? job;
    const status: TrainingEventMessage = {
      jobId: job.id,
      kind: 'status',
      seq: -1,
      payload: { status: current.status, error: current.error },
    };
    if (!isFinalStatus(current.status)) emit(status);
    for (let fromSeq = 0; !ended; ) {
      const page = await storage.trainingEvents.read(job.id, { fromSeq, limit: READ_PAGE });
      // One at a time: a stream may queue at most 1,024 events, and a long job stores far more.
      for (const stored of page) {
        if (ended) break;
        await emit(replayed(job.id, stored));
      }
      if (page.length < READ_PAGE) break;
      fromSeq = page[page.length - 1]!.seq + 1;
    }
    if (isFinalStatus(current.status)) emit(status);
    held.release();
    await stop;
    await held.close();
  });
}

/** A stored event in the shape it was published live: `{ epoch, batch?, ...metrics }`. */
function replayed(jobId: string, event: TrainingEvent): TrainingEventMessage {
  return {
    jobId,
    kind: event.kind,
    seq: event.seq,
    payload: {
      epoch: event.epoch,
      ...(event.kind === 'batch' ? { batch: event.batch } : {}),
      ...event.metrics,
    },
  };
}
