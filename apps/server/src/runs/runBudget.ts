import type { BudgetChoice } from '@argmax/core';
import { z } from 'zod';
import type { RunSpec } from './runSpec.ts';

/**
 * What a time budget chose for a run (projected-adam given neither steps nor restarts): kept in its
 * timings as `budget`, from its first step (the counts) and its end (the core's whole choice).
 */
const runBudgetSchema = z.object({
  seconds: z.number(),
  steps: z.number().int(),
  restarts: z.number().int(),
  /** The step time the choice predicted, from the measured cost; once the run has ended. */
  secondsPerStep: z.number().optional(),
  /** The start cuts (core's methods/keepBest.ts), once the run has ended; absent when there were none. */
  keepBest: z.array(z.object({ after: z.number().int(), starts: z.number().int() })).optional(),
});

export type RunBudget = z.infer<typeof runBudgetSchema>;
/** Compile-time check: the core's whole choice is what a finished run keeps. */
type Fits<T extends U, U> = T;
export type RunBudgetFitsCore = Fits<BudgetChoice, RunBudget>;

/** A run's budget choice, from its stored timings: null when it was given its counts, or before its first step. */
export function budgetOf(run: { timings: unknown }): RunBudget | null {
  const { timings } = run;
  if (timings === null || typeof timings !== 'object' || !('budget' in timings)) return null;
  const parsed = runBudgetSchema.safeParse(timings.budget);
  return parsed.success ? parsed.data : null;
}

/** The steps and starts a run runs: asked for, or chosen by its budget (0 while not yet known). */
export function countsOf(spec: RunSpec, budget: RunBudget | null): { steps: number; restarts: number } {
  return {
    steps: spec.options.steps ?? budget?.steps ?? 0,
    restarts: spec.options.restarts ?? budget?.restarts ?? 0,
  };
}
