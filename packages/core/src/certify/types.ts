import type { ConstraintSpec, ObjectiveSpec } from '../spec/types.ts';

/**
 * What produced the upper bound: interval bound propagation, the optimised linear relaxation (α-CROWN),
 * the MILP solved by HiGHS, or branch and bound over ReLU phases.
 */
export type CertifyMethod = 'ibp' | 'crown' | 'milp' | 'bab';

/** Which exact search to run after the bounds ('auto' picks branch and bound; 'bounds' runs none). */
export type CertifySearch = 'auto' | 'bab' | 'milp' | 'bounds';

export interface CertifyOptions {
  /** Objectives linear in the logits: logit, margin, unit of the logits layer, weighted sums of these. */
  objective: ObjectiveSpec;
  /** Default: the box [0, 1]. */
  constraints?: ConstraintSpec;
  /** The best input an optimiser found (it is checked and evaluated, never trusted). */
  incumbent?: Float32Array;
  /** Wall-clock budget for the whole certificate (default 10 s). */
  timeLimitSeconds?: number;
  search?: CertifySearch;
  /**
   * Worker threads for the unit-subset search (default: one per core where a node's bound is worth a
   * thread). A server certifying several runs at once may want fewer.
   */
  threads?: number;
  /** Relative gap at which the optimum counts as proven (default 1e-4, HiGHS's MILP default). */
  tolerance?: number;
  /** Called whenever the upper bound or the best value improves. */
  onProgress?: (event: CertifyProgress) => void;
  signal?: AbortSignal;
  /**
   * A shared flag (e.g. over a SharedArrayBuffer) that stops the search when its first element becomes
   * non-zero. Unlike `signal` it is seen inside a long synchronous solver call, so a worker thread can
   * be stopped by its parent at once.
   */
  cancelFlag?: Int32Array;
}

export interface CertifyProgress {
  method: CertifyMethod;
  /** Sound upper bound so far (padded like the final one). */
  upperBound: number;
  bestValue: number;
  gap: number;
  seconds: number;
  /** Branch-and-bound nodes evaluated so far. */
  nodes?: number;
}

export interface Certificate {
  supported: true;
  /** Objective at `input` (float64 forward pass of the float32 input). */
  bestValue: number;
  /**
   * No input of the region scores above this, computed exactly or by a float32 forward pass: the
   * solver bound padded by `roundoff` and 1e-9·(1 + |bound|).
   */
  upperBound: number;
  /** (upperBound − bestValue) / |upperBound|. */
  gap: number;
  /** Whether bestValue is the optimum (exact arithmetic) within `tolerance`. */
  proven: boolean;
  method: CertifyMethod;
  /** Flat, the model's input order; inside the constraints. */
  input: Float32Array;
  seconds: number;
  /** The float32 round-off allowance included in upperBound. */
  roundoff: number;
  /** The cheaper bounds, for reference (before padding). */
  bounds: { ibp: number; crown: number; search?: number };
  /** Branch-and-bound nodes or none. */
  nodes?: number;
  /** Where the unit-subset search stood when it stopped, when it ran and stopped open. */
  open?: OpenSummary;
  /** Constraints replaced by a superset for the bound (L2 ball, quantisation), when there were any. */
  relaxed?: string;
  /** Why the search stopped before proving, when it did. */
  stopped?: 'time-limit';
}

export type CertifyResult = Certificate | { supported: false; reason: string };

/** The open nodes of a branch and bound that stopped: how many, their best bounds, how deep. */
export interface OpenSummary {
  count: number;
  /** The largest open bounds, best first (at most 5; before the float32 allowance). */
  bounds: number[];
  /** Phases fixed at the best open node, and the most at any open node. */
  bestDepth: number;
  maxDepth: number;
}
