import { applyBoundEvent, type BoundEventData, type CertificateView } from './liveCertificate.ts';

/** What the live page knows about a run, built up from `runEvents` as they arrive. */
export interface LiveRunState {
  status: string | null;
  error: string | null;
  /** Latest step seen (0-based) and the run's total. */
  step: number | null;
  steps: number | null;
  /** Starts optimised together, once an event has said. */
  restarts: number | null;
  objective: number | null;
  violation: number | null;
  outputs: readonly number[] | null;
  /** Latest frame (PNG data URL) and the step it shows. */
  image: string | null;
  imageStep: number | null;
  /** How many times the shown image changed. */
  imageChanges: number;
  /** The most recent frames, oldest first. */
  frames: readonly LiveFrame[];
  curve: readonly CurvePoint[];
  /** Coalesced (time, step) samples for the steps/s estimate. */
  rateSamples: readonly RateSample[];
  /** The certificate as its bound events told it; null until the first one. */
  certificate: CertificateView | null;
  /** While QUEUED, the prior the run searches in being built (once): how far (0–1) and the stage. */
  prior: { progress: number; stage: string | null } | null;
}

export interface LiveFrame {
  step: number;
  image: string;
}

export interface CurvePoint {
  step: number;
  objective: number;
}

interface RateSample {
  t: number;
  step: number;
}

export type RunEventData =
  | {
      __typename: 'RunStatusEvent';
      status: string;
      error?: string | null;
      priorProgress?: number | null;
      priorStage?: string | null;
    }
  | {
      __typename: 'RunStepEvent';
      step: number;
      steps: number;
      /** Starts optimised together (0 while the server does not know them yet). */
      restarts: number;
      objective: number;
      violation: number;
      outputs: readonly number[];
      image?: string | null;
    }
  | BoundEventData;

export const FRAME_STRIP_LENGTH = 12;
/** Beyond this many points the curve is thinned to every other point (its shape is what matters). */
const CURVE_LIMIT = 4000;
/** Steps arriving closer together than this (a late joiner's catch-up burst) count as one sample. */
const COALESCE_MS = 100;
const RATE_WINDOW_MS = 5000;

export const emptyLiveRun: LiveRunState = {
  status: null,
  error: null,
  step: null,
  steps: null,
  restarts: null,
  objective: null,
  violation: null,
  outputs: null,
  image: null,
  imageStep: null,
  imageChanges: 0,
  frames: [],
  curve: [],
  rateSamples: [],
  certificate: null,
  prior: null,
};

/** Folds one event into the state (pure: `now` is passed in, the old state is never mutated). */
export function applyRunEvent(state: LiveRunState, event: RunEventData, now: number): LiveRunState {
  if (event.__typename === 'RunStatusEvent')
    return {
      ...state,
      status: event.status,
      error: event.error ?? null,
      prior:
        event.priorProgress != null
          ? { progress: event.priorProgress, stage: event.priorStage ?? null }
          : event.status === 'QUEUED'
            ? state.prior
            : null,
    };
  if (event.__typename === 'RunBoundEvent')
    return { ...state, certificate: applyBoundEvent(state.certificate, event) };
  if (state.step !== null && event.step <= state.step) return state;
  let curve = [...state.curve, { step: event.step, objective: event.objective }];
  if (curve.length > CURVE_LIMIT) curve = curve.filter((_, i) => i % 2 === 0 || i === curve.length - 1);
  const next: LiveRunState = {
    ...state,
    step: event.step,
    steps: event.steps,
    restarts: event.restarts || null,
    objective: event.objective,
    violation: event.violation,
    outputs: event.outputs,
    curve,
    rateSamples: addRateSample(state.rateSamples, { t: now, step: event.step }),
  };
  if (!event.image) return next;
  return {
    ...next,
    image: event.image,
    imageStep: event.step,
    imageChanges: state.imageChanges + (event.image !== state.image ? 1 : 0),
    frames: [...state.frames, { step: event.step, image: event.image }].slice(-FRAME_STRIP_LENGTH),
  };
}

function addRateSample(samples: readonly RateSample[], sample: RateSample): RateSample[] {
  const last = samples.at(-1);
  const kept =
    last && sample.t - last.t < COALESCE_MS
      ? [...samples.slice(0, -1), { t: last.t, step: sample.step }]
      : [...samples, sample];
  return kept.filter((s, i) => i >= kept.length - 2 || sample.t - s.t <= RATE_WINDOW_MS);
}

/** Steps per second over the last few seconds; null until there are two samples far enough apart. */
export function stepsPerSecond(state: LiveRunState): number | null {
  const first = state.rateSamples[0];
  const last = state.rateSamples.at(-1);
  if (!first || !last || last.t - first.t < 300) return null;
  return ((last.step - first.step) * 1000) / (last.t - first.t);
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED']);
export const isFinalStatus = (status: string | null | undefined) => status != null && FINAL.has(status);
