import * as tf from '@tensorflow/tfjs-core';
import type { FeasibleSet } from '../constraints/feasibleSet.ts';
import { disposeEvaluation, evaluateWithGradient } from '../methods/gradientStep.ts';
import { seededRandom } from '../methods/random.ts';
import { uniformStarts } from '../methods/startPoints.ts';
import type { CompiledObjective } from '../objectives/buildObjective.ts';
import type { BudgetChoice } from '../spec/types.ts';

/**
 * Seconds projected-adam's default run may spend on its gradient steps. The 80 × 128 default takes
 * ~0.1–0.3 s on the seed MLP (so it keeps it), and would take ~30 s on a Keras Fashion-MNIST CNN.
 */
export const defaultTimeBudget = 3;
/** Fewer starts than this miss the best basins too often; below it the steps are cut instead. */
const minRestarts = 8;
const minSteps = 20;
/** A step is one batched gradient plus Adam's update and the read-back (measured: ~15 % more). */
const stepOverhead = 1.2;

/** Seconds one batched step takes: `fixed + perStart × starts`. */
export interface StepCost {
  fixed: number;
  perStart: number;
}

/**
 * The cost of a step, from gradients of two batch sizes (each warmed up once: the first call builds
 * the backend's operators), the best of three timings each.
 */
export function measureStepCost(objective: CompiledObjective, set: FeasibleSet): StepCost {
  const time = (batch: number) => {
    const x = tf.tensor2d(uniformStarts(set, batch, seededRandom(1)), [batch, set.input.size]);
    const plan = { objective, toInput: (theta: tf.Tensor2D) => theta };
    let best = Number.POSITIVE_INFINITY;
    try {
      for (let round = 0; round < 4; round++) {
        const started = performance.now();
        const evaluation = evaluateWithGradient(plan, x);
        evaluation.grad.dataSync();
        disposeEvaluation(evaluation);
        if (round > 0) best = Math.min(best, (performance.now() - started) / 1000);
      }
    } finally {
      x.dispose();
    }
    return best;
  };
  const [small, large] = [4, 16];
  const [tSmall, tLarge] = [time(small), time(large)];
  const perStart = Math.max(0, (tLarge - tSmall) / (large - small));
  return { fixed: Math.max(0, tSmall - perStart * small), perStart };
}

/**
 * The most starts (a power of two, at most the default) whose `steps` default steps fit `seconds`;
 * when even `minRestarts` do not fit, that many starts and fewer steps (at least `minSteps`).
 * A bigger model gets fewer starts rather than a longer wait.
 */
export function fitBudget(
  cost: StepCost,
  seconds: number,
  defaults: { steps: number; restarts: number },
): BudgetChoice {
  const stepSeconds = (starts: number) => stepOverhead * (cost.fixed + cost.perStart * starts);
  let restarts = defaults.restarts;
  while (restarts > minRestarts && stepSeconds(restarts) * defaults.steps > seconds) restarts /= 2;
  restarts = Math.max(Math.min(minRestarts, defaults.restarts), Math.floor(restarts));
  const fit = Math.floor(seconds / stepSeconds(restarts));
  const steps = Math.min(defaults.steps, Math.max(minSteps, fit));
  return { seconds, steps, restarts, secondsPerStep: stepSeconds(restarts) };
}
