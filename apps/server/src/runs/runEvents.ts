import { isFinalStatus, type Run, type Storage } from '@argmax/db';
import { Repeater } from 'graphql-yoga';
import { PUBLISH_INTERVAL_MS } from '../jobs/thread/liveFrameRate.ts';
import type { EventBus, RunEvent } from '../pubsub/eventBus.ts';
import { holdLive } from '../pubsub/holdLive.ts';
import { throttleLatest } from '../pubsub/throttleLatest.ts';
import { replayTurn } from './replayPacing.ts';
import { readReplay, sharedReplay } from './runReplay.ts';
import type { RunService } from './runService.ts';

/** Replayed events one subscriber hands on at a time (see replayTurn). */
const REPLAY_SLICE = 20;
const FRAME_INTERVAL_MS = 1000 / 30;
/** Frames per second one run may send to all its subscribers together (each still gets ≤ 30/s). */
const FRAMES_PER_SECOND_PER_RUN = 600;
const watchers = new Map<string, number>();

/** Live run subscriptions this process serves (for /metrics). */
export function runSubscriberCount(): number {
  let count = 0;
  for (const n of watchers.values()) count += n;
  return count;
}

/**
 * Each subscriber's frame interval: 30/s while few watch, then shared out so that many watchers of one run
 * cost the server a bounded amount of work (100 watchers get 6 frames/s each) and the run keeps its pace.
 */
function frameInterval(runId: string): number {
  return Math.max(FRAME_INTERVAL_MS, ((watchers.get(runId) ?? 1) * 1000) / FRAMES_PER_SECOND_PER_RUN);
}

/**
 * Everything a subscriber of one run sees: the current status, a summary of the steps so far (from
 * storage), then the live steps (throttled per subscriber to ≤ 30/s, latest wins, status changes and the
 * final step always delivered), ending when the run ends.
 */
export function runEvents(
  run: Run,
  storage: Storage,
  bus: EventBus,
  runs: RunService,
): AsyncIterable<RunEvent> {
  const live = bus.subscribe('run', run.id);
  const merged = new Repeater<RunEvent>(async (push, stop) => {
    let lastStep = -1;
    let lastBound = -1;
    let ended = false;
    const emit = (event: RunEvent) => {
      if (ended) return;
      if (event.type === 'step') {
        if (event.step <= lastStep) return;
        lastStep = event.step;
      }
      if (event.type === 'bound') {
        if (event.index <= lastBound) return;
        lastBound = event.index;
      }
      void push(event);
      if (event.type === 'status' && isFinalStatus(event.status)) {
        ended = true;
        stop();
      }
    };
    // Live events wait while storage is read; the repeats among them are skipped by step and index.
    const held = holdLive(live, emit, () => ended);
    // Over Redis the subscription is registered before storage is read (the bus says when).
    await bus.listening();
    const { run: current, history } = await sharedReplay(run.id, () => readReplay(run, storage, runs));
    const status: RunEvent = { type: 'status', runId: run.id, status: current.status, error: current.error };
    if (!isFinalStatus(current.status)) emit(status);
    // In slices, paced across all joiners: replays must not hold up the live frames of those watching.
    for (let i = 0; i < history.length && !ended; i += REPLAY_SLICE) {
      const slice = history.slice(i, i + REPLAY_SLICE);
      await replayTurn(slice.length);
      for (const event of slice) emit(event);
    }
    if (isFinalStatus(current.status)) emit(status);
    held.release();
    await stop;
    await held.close();
  });
  watchers.set(run.id, (watchers.get(run.id) ?? 0) + 1);
  const throttled = throttleLatest(merged, {
    intervalMs: () => frameInterval(run.id),
    // Replayed steps (publishedAt null) are the late joiner's history: never dropped. Bounds are few.
    keep: (e) => e.type !== 'step' || e.step === e.steps - 1 || e.publishedAt === null,
    // Steps are published every ~33 ms: a frame sent on arrival is fresh, one held since the window closed
    // is up to that old.
    freshGraceMs: PUBLISH_INTERVAL_MS + 10,
    // The final step makes an older step not yet sent pointless: 100 watchers get 100 frames at the end, not 200.
    replaces: (kept, pending) => kept.type === 'step' && pending.type === 'step' && kept.step > pending.step,
  });
  return (async function* () {
    try {
      yield* throttled;
    } finally {
      const left = (watchers.get(run.id) ?? 1) - 1;
      if (left > 0) watchers.set(run.id, left);
      else watchers.delete(run.id);
    }
  })();
}
