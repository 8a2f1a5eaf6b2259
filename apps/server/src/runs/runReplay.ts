import type { Run, RunStep, Storage } from '@argmax/db';
import type { RunEvent, RunStepEvent } from '../pubsub/eventBus.ts';
import { boundPointEvent, certificateAsSeen, finalWordEvent } from './certificate/certificateView.ts';
import { budgetOf, countsOf } from './runBudget.ts';
import { inputToPngDataUrl } from './runImages.ts';
import type { RunService } from './runService.ts';
import { readRunSpec } from './runSpec.ts';

/** Late joiners get at most about this many stored steps (evenly spaced, always including the last). */
const CATCH_UP_STEPS = 200;

/** What a late joiner is sent before the live events, as storage has it now. */
export interface Replay {
  /** The run as stored (its status may be newer than the subscriber's copy). */
  run: Run;
  /** Stored steps (a summary ending with the last one), then the certificate's bounds and final word. */
  history: RunEvent[];
}

/**
 * Reads a run's replay. Steps: every n-th from the first, the last stored one always (it is where a viewer
 * sees the run stand), and the latest snapshot's step with its image.
 */
export async function readReplay(run: Run, storage: Storage, runs: RunService): Promise<Replay> {
  const spec = readRunSpec(run);
  await runs.flush(run.id);
  const current = (await storage.runs.get(run.id)) ?? run;
  const total = await storage.runSteps.count(run.id);
  const every = Math.max(1, Math.ceil(total / CATCH_UP_STEPS));
  const steps = total > 0 ? await storage.runSteps.read(run.id, { fromStep: 0, every }) : [];
  const latest = await storage.runSnapshots.latest(run.id);
  const lastStep = total > 0 ? await storage.runSteps.lastStep(run.id) : null;
  for (const wanted of [latest?.step, lastStep ?? undefined]) {
    if (wanted === undefined || steps.some((s) => s.step === wanted)) continue;
    steps.push(...(await storage.runSteps.read(run.id, { fromStep: wanted, limit: 1 })));
  }
  steps.sort((a, b) => a.step - b.step);
  const image = latest ? inputToPngDataUrl(latest.input, spec.inputShape, spec.imageRange) : null;
  const counts = countsOf(spec, budgetOf(current));
  const history: RunEvent[] = steps.map((s) =>
    stepEvent(run.id, s, counts, latest?.step === s.step ? image : null),
  );
  const stored = await storage.runCertificates.get(run.id);
  if (stored) {
    const certificate = certificateAsSeen(stored, current.status);
    certificate.history.forEach((point, index) => {
      history.push(boundPointEvent(run.id, index, point, null));
    });
    const word = finalWordEvent(run.id, certificate, null);
    if (word) history.push(word);
  }
  return { run: current, history };
}

/** Replays being read, per run, and the one that joiners arriving meanwhile will share next. */
const reading = new Map<string, Promise<Replay>>();
const gathering = new Map<string, { replay: Promise<Replay> }>();

/**
 * Joiners of one run arriving together share one replay: one storage read, one set of events (and one
 * image). A joiner only shares a read that starts after it arrived (it subscribed to the live events
 * before asking, so nothing published in between is lost to it): while one read is under way, everyone
 * arriving waits for the next, which starts when that one ends.
 */
export function sharedReplay(runId: string, read: () => Promise<Replay>): Promise<Replay> {
  const waiting = gathering.get(runId);
  if (waiting) return waiting.replay;
  const before = reading.get(runId);
  const batch = {} as { replay: Promise<Replay> };
  batch.replay = (async () => {
    // Always yields once, so this batch is registered below before it can start.
    await before?.catch(() => {});
    if (gathering.get(runId) === batch) gathering.delete(runId);
    const replay = read();
    reading.set(runId, replay);
    try {
      return await replay;
    } finally {
      if (reading.get(runId) === replay) reading.delete(runId);
    }
  })();
  gathering.set(runId, batch);
  return batch.replay;
}

function stepEvent(
  runId: string,
  s: RunStep,
  { steps, restarts }: { steps: number; restarts: number },
  image: string | null,
): RunStepEvent {
  return {
    type: 'step',
    runId,
    step: s.step,
    steps,
    restarts,
    objective: s.objective,
    violation: s.violation ?? 0,
    outputs: s.outputs,
    image,
    publishedAt: null,
  };
}
