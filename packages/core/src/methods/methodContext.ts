import type { FeasibleSet } from '../constraints/feasibleSet.ts';
import type { CompiledObjective } from '../objectives/buildObjective.ts';
import type { RegularizerSpec, StartResult, StepEvent } from '../spec/types.ts';
import type { KeepBest } from './keepBest.ts';

/** Validated settings of one run (defaults filled in by optimize/resolveOptions.ts). */
export interface MethodSettings {
  steps: number;
  restarts: number;
  seed: number;
  learningRate: number;
  parameterization: 'pixel' | 'sigmoid' | 'fourier';
  regularizers: RegularizerSpec;
  returnAllStarts: boolean;
  /** projected-adam: after some steps only the best starts go on (not with `returnAllStarts`). */
  keepBest?: KeepBest[];
}

export interface MethodContext {
  objective: CompiledObjective;
  set: FeasibleSet;
  settings: MethodSettings;
  /** Whether step `step` (0-based, of `steps`) carries the best start's input. */
  snapshot(step: number, steps: number): boolean;
  signal?: AbortSignal;
}

/** What a method hands back after its last step: its answer, and every start's when asked. */
export interface MethodOutcome {
  input: Float32Array;
  value: number;
  starts?: StartResult[];
}

/**
 * A method streams one StepEvent per step (step `i` describes the inputs after `i + 1` updates, so the
 * last step event shows the final inputs) and returns its outcome.
 */
export type MethodRun = AsyncGenerator<StepEvent, MethodOutcome, undefined>;
