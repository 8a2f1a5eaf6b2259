import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub } from 'graphql-yoga';

/** A run's status changed. `final` statuses end every stream of the run. */
export interface RunStatusEvent {
  type: 'status';
  runId: string;
  status: string;
  error: string | null;
  /** While QUEUED, the prior the run searches in being built: how far along (0–1), and the stage. */
  prior?: { fraction: number; stage: string };
}

/** One optimisation step, as subscribers see it. Plain JSON so it can cross processes (Redis). */
export interface RunStepEvent {
  type: 'step';
  runId: string;
  step: number;
  steps: number;
  /** Starts optimised together (asked for, or chosen by the run's time budget); 0 while not yet known. */
  restarts: number;
  objective: number;
  violation: number;
  outputs: number[];
  /** PNG data URL of the input at this step, when the step carried one. */
  image: string | null;
  /** When the server published the step (ms since the epoch); null for steps replayed from storage. */
  publishedAt: number | null;
}

/**
 * The run's certificate moved: a new bound point (status RUNNING, `index` its place in the stored history)
 * or the final word (DONE, UNSUPPORTED, STOPPED; `index` = the history's length). Figures not known are null.
 */
export interface RunBoundEvent {
  type: 'bound';
  runId: string;
  index: number;
  status: string;
  upperBound: number | null;
  bestValue: number | null;
  gap: number | null;
  method: string | null;
  seconds: number | null;
  proven: boolean | null;
  reason: string | null;
  /** When the server published it (ms since the epoch); null when replayed from storage. */
  publishedAt: number | null;
}

export type RunEvent = RunStatusEvent | RunStepEvent | RunBoundEvent;

export interface TrainingEventMessage {
  jobId: string;
  kind: string;
  seq: number;
  payload: Record<string, unknown>;
}

/** Stop a job wherever it executes: every executing process listens (a worker process, another server). */
export interface CancelMessage {
  /** The kind of job (run, training). */
  kind: string;
  id: string;
}

export type EventBus = PubSub<{
  run: [runId: string, event: RunEvent];
  training: [jobId: string, event: TrainingEventMessage];
  cancel: [message: CancelMessage];
}> & {
  /**
   * Resolves once every subscription read so far receives what is published from then on. In memory at
   * once; over Redis once the server has registered its SUBSCRIBE (sent without being awaited), so a
   * stream that reads storage after this misses no event published after that read.
   */
  listening(): Promise<void>;
};

/** In-memory by default; the scale-out setup passes a Redis event target (and its `listening`) here and nothing else changes. */
export function createEventBus(remote?: {
  eventTarget: NonNullable<Parameters<typeof createPubSub>[0]>['eventTarget'];
  listening(): Promise<void>;
}): EventBus {
  const { eventTarget, listening } = remote ?? { eventTarget: localTarget(), listening: async () => {} };
  return Object.assign(createPubSub({ eventTarget }), { listening });
}

function localTarget(): EventTarget {
  // Every subscriber of a run listens on the same event type: 100 watchers are normal, not a leak.
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target;
}
