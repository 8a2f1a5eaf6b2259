/**
 * The public vocabulary of an optimisation: what to maximise, under which constraints, by which method,
 * and the events it streams. Everything here is plain data (serialisable), so the CLI, the server and
 * job workers can pass it around unchanged.
 */

/** What to maximise. `index` is a class index for the head objectives. */
export type ObjectiveSpec =
  | { kind: 'logit'; index: number }
  | { kind: 'prob'; index: number }
  | { kind: 'logprob'; index: number }
  | { kind: 'margin'; index: number }
  /** One unit of a named layer's output (flat index over that output's non-batch dims). */
  | { kind: 'unit'; layer: string; index: number }
  /** Mean over the spatial dims of one channel of a named layer (conv feature maps). */
  | { kind: 'channel'; layer: string; channel: number }
  | { kind: 'sum'; terms: { weight: number; objective: ObjectiveSpec }[] };

/** A scalar or one value per input element. */
export type Bound = number | ArrayLike<number>;

export interface LinearConstraintSpec {
  /** One weight per input element, or 'mean' for the mean of all inputs. */
  weights: ArrayLike<number> | 'mean';
  sense: '<=' | '>=';
  bound: number;
}

/** Combinable input constraints; all are intersected. */
export interface ConstraintSpec {
  /** Default [0, 1]. */
  box?: { lo: Bound; hi: Bound };
  linf?: { reference: ArrayLike<number>; epsilon: number };
  l2?: { reference: ArrayLike<number>; epsilon: number };
  /** Inputs where `fixed[i]` is truthy stay at `reference[i]`. */
  mask?: { fixed: ArrayLike<number | boolean>; reference: ArrayLike<number> };
  linear?: LinearConstraintSpec[];
  /** Round to `levels` evenly spaced values in the box at the end (e.g. 256), then re-evaluate. */
  quantize?: { levels: number };
}

export type MethodName = 'trainable-input-layer' | 'normalized-gradient-ascent' | 'projected-adam';

export interface RegularizerSpec {
  /** Penalty weight on the mean squared input. */
  l2?: number;
  /** Penalty weight on total variation (images only). */
  tv?: number;
  /** Gaussian blur sigma applied to the parameter every `blurEvery` steps (images only). */
  blur?: number;
  blurEvery?: number;
  /** Random translation of up to this many pixels per step (images only). */
  jitter?: number;
}

export interface OptimizeOptions {
  objective: ObjectiveSpec;
  constraints?: ConstraintSpec;
  method?: MethodName;
  steps?: number;
  /** Number of starts optimised together in one batch. */
  restarts?: number;
  /**
   * projected-adam with neither `steps` nor `restarts` given: seconds its gradient steps may take
   * (default 4, CPU seconds of its thread). One step's cost is measured on the model; when 128 × 80
   * do not fit, only the best 48 starts go on after 3 steps, the best 24 after 9 and the best 8 after
   * 23, to 120 steps, and the 128 starts are halved until that fits (below 16: 8 starts and fewer steps, at least 20; see
   * `BudgetChoice.keepBest`). Timing-dependent: give `steps` and `restarts` for runs that repeat
   * exactly on any machine.
   */
  timeBudget?: number;
  seed?: number;
  /** Adam's learning rate; for normalized-gradient-ascent the step size (L2 length of each step). */
  learningRate?: number;
  regularizers?: RegularizerSpec;
  /**
   * projected-adam: optimise x directly ('pixel', projected after every step), or through a sigmoid /
   * Fourier (2-D cosine) basis. trainable-input-layer: keep the box with a clipping kernel constraint
   * ('pixel') or a sigmoid activation ('sigmoid'). normalized-gradient-ascent: 'pixel' only.
   */
  parameterization?: 'pixel' | 'sigmoid' | 'fourier';
  /** Which steps carry a full copy of the input; default: the first 50, then log-spaced, and the last. */
  snapshot?: (step: number, steps: number) => boolean;
  /** Return every start's final input, not just the best. */
  returnAllStarts?: boolean;
  /** ReLU MLPs: refine the best start exactly over its linear region and neighbours (default true for projected-adam). */
  polish?: boolean;
  signal?: AbortSignal;
  /** One line per notable decision (a per-model backend fallback). Default: stderr. */
  log?: (line: string) => void;
}

export interface ModelOutputs {
  /** Softmax probabilities when the model has a softmax head. */
  probabilities?: number[];
  /** Pre-softmax values when they can be found from the model's structure. */
  logits?: number[];
  /** Raw model output (the last layer), always present. */
  raw: number[];
}

export interface StepEvent {
  type: 'step';
  step: number;
  steps: number;
  /** Objective of the best start at this step (feasible point for projected methods). */
  objective: number;
  /** Objective of every start still going (after a budget's cuts, the best few, in their first order). */
  objectives: number[];
  /** Index into `objectives`. */
  bestStart: number;
  outputs: ModelOutputs;
  /** Largest constraint violation of the best start's input (0 when inside). */
  violation: number;
  /** Present on snapshot steps: the best start's input, flat, in the model's input order. */
  input?: Float32Array;
}

export interface StartResult {
  input: Float32Array;
  value: number;
  violation: number;
}

/** What a time budget chose for projected-adam's default run. */
export interface BudgetChoice {
  /** The budget, seconds. */
  seconds: number;
  steps: number;
  restarts: number;
  /** The predicted seconds per step (over the run, with its cuts), from the measured cost. */
  secondsPerStep: number;
  /** Each cut: after `after` steps only the best `starts` went on (when all starts' steps did not fit). */
  keepBest?: { after: number; starts: number }[];
}

export interface OptimizationResult {
  /** Flat, in the model's input order (a model with several inputs: each input's values in turn). */
  input: Float32Array;
  /** Input shape without the batch dim; `[input.length]` for a model with several inputs. */
  shape: number[];
  /** Models with several inputs: each input's layer name and shape, in the order `input` holds them. */
  inputs?: { name: string; shape: number[] }[];
  value: number;
  outputs: ModelOutputs;
  violation: number;
  method: MethodName;
  backend: string;
  steps: number;
  restarts: number;
  seconds: number;
  /** How `steps` and `restarts` were fitted to the time budget, when they were. */
  budget?: BudgetChoice;
  /** Value before quantisation/polish, when those changed it. */
  valueBeforeQuantize?: number;
  valueBeforePolish?: number;
  /** Why the polish did not run (e.g. the model is not a ReLU MLP), when it was asked for. */
  polishSkipped?: string;
  starts?: StartResult[];
}

export interface DoneEvent {
  type: 'done';
  result: OptimizationResult;
}

export type OptimizationEvent = StepEvent | DoneEvent;
