import type { Run } from '@argmax/db/repositories/runs';
import type { Storage } from '@argmax/db/storage';
import { Repeater } from 'graphql-yoga';
import type { EventBus, RunEvent, RunStepEvent } from '../pubsub/eventBus.ts';
import { throttleLatest } from '../pubsub/throttleLatest.ts';
import { inputToPngDataUrl } from '../services/runImages.ts';
import { isFinal, type RunService, type RunSpec } from '../services/runService.ts';
import {
  boundPointEvent,
  certificateAsSeen,
  certificateEvent,
  isFinalCertificate,
} from './certificateView.ts';
import { PUBLISH_INTERVAL_MS } from './liveFrameRate.ts';

/** Late joiners get at most this many stored steps (evenly spaced, always including the last). */
const CATCH_UP_STEPS = 200;
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
  const spec = run.spec as unknown as RunSpec;
  // Subscribe before reading storage so nothing published in between is lost; duplicates are skipped.
  const live = bus.subscribe('run', run.id);
  const merged = new Repeater<RunEvent>(async (push, stop) => {
    let lastStep = -1;
    let lastBound = -1;
    let ended = false;
    const buffered: RunEvent[] = [];
    let catchingUp = true;
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
      if (event.type === 'status' && isFinal(event.status)) {
        ended = true;
        stop();
      }
    };
    const forward = (async () => {
      for await (const event of live) {
        if (catchingUp) buffered.push(event);
        else emit(event);
        if (ended) break;
      }
    })();

    await runs.flush(run.id);
    const current = (await storage.runs.get(run.id)) ?? run;
    const total = await storage.runSteps.count(run.id);
    const every = Math.max(1, Math.ceil(total / CATCH_UP_STEPS));
    const stored = total > 0 ? await storage.runSteps.read(run.id, { fromStep: 0, every }) : [];
    const latest = await storage.runSnapshots.latest(run.id);
    const status: RunEvent = { type: 'status', runId: run.id, status: current.status, error: current.error };
    if (!isFinal(current.status)) emit(status);
    for (const s of stored) {
      const image =
        latest && latest.step === s.step
          ? inputToPngDataUrl(latest.input, spec.inputShape, spec.imageRange)
          : null;
      emit(
        stepEvent(run.id, s.step, spec.options.steps ?? 0, s.objective, s.violation ?? 0, s.outputs, image),
      );
    }
    if (latest && latest.step > lastStep) {
      const last = await storage.runSteps.read(run.id, { fromStep: latest.step, limit: 1 });
      const s = last[0];
      if (s)
        emit(
          stepEvent(
            run.id,
            s.step,
            spec.options.steps ?? 0,
            s.objective,
            s.violation ?? 0,
            s.outputs,
            inputToPngDataUrl(latest.input, spec.inputShape, spec.imageRange),
          ),
        );
    }
    const storedCertificate = await storage.runCertificates.get(run.id);
    if (storedCertificate) {
      const certificate = certificateAsSeen(storedCertificate, current.status);
      certificate.history.forEach((point, index) => {
        emit(boundPointEvent(run.id, index, point, null));
      });
      if (isFinalCertificate(certificate.status))
        emit(certificateEvent(run.id, certificate.history.length, certificate, null));
    }
    if (isFinal(current.status)) emit(status);
    catchingUp = false;
    for (const event of buffered.splice(0)) emit(event);
    await stop;
    await live.return?.();
    await forward.catch(() => {});
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

function stepEvent(
  runId: string,
  step: number,
  steps: number,
  objective: number,
  violation: number,
  outputs: number[],
  image: string | null,
): RunStepEvent {
  return { type: 'step', runId, step, steps, objective, violation, outputs, image, publishedAt: null };
}
