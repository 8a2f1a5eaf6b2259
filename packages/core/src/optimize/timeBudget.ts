import * as tf from '@tensorflow/tfjs-core';
import { workIsOnCallingThread } from '../backend/initBackend.ts';
import type { FeasibleSet } from '../constraints/feasibleSet.ts';
import { disposeEvaluation, evaluateWithGradient } from '../methods/gradientStep.ts';
import { seededRandom } from '../methods/random.ts';
import { uniformStarts } from '../methods/startPoints.ts';
import type { CompiledObjective } from '../objectives/buildObjective.ts';
import type { BudgetChoice } from '../spec/types.ts';
import { timeWork } from './threadClock.ts';

/**
 * Seconds projected-adam's default run may spend on its gradient steps, by the cost measured below
 * (its thread's CPU seconds, so wall seconds on idle cores; wall seconds where a thread pool shares
 * the work). The 80 × 128 default takes ~0.1–0.3 s
 * on the seed MLP (so it keeps it), and would take ~15–20 s on a Keras Fashion-MNIST CNN, where 4 s
 * buys 128 starts with the cuts below (their steps took ~3 s of CPU at load 13).
 */
export const defaultTimeBudget = 4;
/** Fewer starts than this miss the best basins too often; below it the steps are cut instead. */
const minRestarts = 8;
const minSteps = 20;
/**
 * The starts that go on after each share of the steps, when not all fit (methods/keepBest.ts): of 80
 * steps, the best 48 after 3, the best 24 after 9 and the best 8 after 23. Starts do not interact, so
 * a cut's outcome can be replayed exactly from every start's value at every step of a 128 × 80 run: on
 * the Keras Fashion-MNIST CNN, 10 classes × seeds 0–2, these cuts end on the 128 × 80 value in 25 of 30
 * (26 within 0.5 %, mean 0.9973, never below the cuts before) against 22 (23, 0.9950) for the cuts
 * before (32 after 6, 8 after 12), for 2.5 % fewer start-steps. The cuts before lost the best start in
 * 3 more: it ranked 11th–19th when they cut to 8 after 12 steps, while these keep 24 until it is among
 * the best 7 (after 23). In the other 5 (seed 0's class 1 among them) both lose it: it ranked 38th–95th
 * of 128 after 3 steps (39th–94th after 6). Chosen on two seeds, cuts of this shape beat the cuts before
 * on the third, each way round. Ranking a quarter of each cut by the last step's rise instead kept seed
 * 0's class 1 (its best start 85th after 6 steps, 56th after 10), but on seed 2 ended below even the
 * cuts before (mean 0.9947 against 0.9951); with these cuts class 1 ends at 41.05, 0.980 of 128 × 80
 * (0.961 before). These figures are for cut runs that end at 80 steps; they now go on to 120
 * (`cutRunStepFactor`).
 */
const cuts = [
  { share: 3 / 80, starts: 48 },
  { share: 9 / 80, starts: 24 },
  { share: 23 / 80, starts: 8 },
];
/**
 * A cut run takes this many times the default steps (120 for 80; its cuts stay at 3, 9 and 23): the
 * 8 starts left after the last cut are cheap, and the extra steps (with Adam's cosine schedule
 * stretched over them) made up for the best starts the cuts lose. On the Keras Fashion-MNIST CNN, 10
 * classes × seeds 0–2, against 128 × 80 uncut: ending at 80 steps, least 0.9732 and 26 of 30 within
 * 0.5 % (seed 0's class 1 at 0.9795); at 120, least 0.9944, 29 of 30 within 0.5 %, median 1.013
 * (seed 0: 0.9969–1.0375). 100 steps: least 0.9794; 160: least 0.9828. Chosen on those 30; on seeds
 * 3–4, held out, 18 of 20 within 0.5 % (14 of 20 ending at 80), least 0.9840 (0.9734), median 1.006.
 * Its cost, 40 steps of 8 starts, is counted in the budget like any other.
 */
const cutRunStepFactor = 3 / 2;
/**
 * Weights up to which a network without convolutions or pooling (whose few weights do many multiply-adds)
 * gets 8× the default starts (1,024): its steps cost so little that the extra starts are nearly free
 * (1,024 × 80 took 0.2–1.1 s with the polish on the polish bench's 1.4–2.6k-weight MLPs), and the best
 * basins are rare. On those 24 random MLPs (2–3 hidden layers), 128 starts ended 0.35 % below the best
 * value known on one (50-16-16-24, seed 12: 3.5853 against 3.5978), where 1,024 find it; on the other
 * 23 both end on it. The seed MLP (102k weights) keeps 128.
 */
export const smallNetworkWeights = 10_000;
export const smallNetworkStartFactor = 8;

/** The default run's starts for a network of `weights` weights, `dense` when no layer is spatial. */
export function defaultStarts(restarts: number, weights: number, dense: boolean): number {
  return dense && weights <= smallNetworkWeights ? smallNetworkStartFactor * restarts : restarts;
}

/** Seconds one batched step takes: `fixed + perStart × starts`. */
export interface StepCost {
  fixed: number;
  perStart: number;
}

/**
 * Seconds one gradient of `batch` starts takes, warmed up once (the first call builds the backend's
 * operators): the best of `rounds` timings (threadClock.ts: wall time, or this thread's CPU time where
 * that is the smaller and long enough to read, unless a thread pool shares the backend's work).
 */
export function timeGradient(
  objective: CompiledObjective,
  set: FeasibleSet,
  batch: number,
  rounds: number,
): number {
  const x = tf.tensor2d(uniformStarts(set, batch, seededRandom(1)), [batch, set.input.size]);
  const plan = { objective, toInput: (theta: tf.Tensor2D) => theta };
  const step = () => {
    const evaluation = evaluateWithGradient(plan, x);
    evaluation.grad.dataSync();
    disposeEvaluation(evaluation);
  };
  try {
    step();
    return timeWork(step, rounds, { onThisThread: workIsOnCallingThread() });
  } finally {
    x.dispose();
  }
}

/** The cost of a step, from gradients of two small batch sizes, three timings each. */
export function measureStepCost(objective: CompiledObjective, set: FeasibleSet): StepCost {
  const [small, large] = [4, 16];
  const [tSmall, tLarge] = [timeGradient(objective, set, small, 3), timeGradient(objective, set, large, 3)];
  const perStart = Math.max(0, (tLarge - tSmall) / (large - small));
  return { fixed: Math.max(0, tSmall - perStart * small), perStart };
}

/**
 * `cost` checked against one timed gradient of the full batch (`timeFull`) where, by `cost`, the
 * default run fits the budget but takes more than a quarter of it. The line through batches of 4 and
 * 16 can sit far below a full batch's cost: a Keras CNN on 2 XNNPACK threads at load 4 was estimated
 * at 74–124 ms for 128 starts against 137–178 ms taken, and its budget then ran 128 × 80 uncut (12 s
 * of optimising for a 4 s budget). The check costs two full gradients, and only models that take
 * seconds pay it (the seed MLP's default run is ~0.2 s by its estimate).
 */
export function confirmStepCost(
  cost: StepCost,
  seconds: number,
  defaults: { steps: number; restarts: number },
  timeFull: () => number,
): StepCost {
  const full = cost.fixed + cost.perStart * defaults.restarts;
  const run = full * defaults.steps;
  if (run > seconds || run <= seconds / 4) return cost;
  const measured = timeFull();
  if (!(measured > full)) return cost;
  return { fixed: cost.fixed, perStart: (measured - cost.fixed) / defaults.restarts };
}

/**
 * Starts × steps for the budget. When the default count fits, it is kept (the seed MLP: 128 × 80).
 * Otherwise the starts are cut to the best 48 after 3/80 of the steps, 24 after 9/80 and 8 after 23/80
 * (methods/keepBest.ts; a cut that would keep all the starts left out), the run goes on to 1.5× the
 * steps (`cutRunStepFactor`), and the most starts (a power
 * of two, at most the default) whose run fits go in; when even `minRestarts` do not fit with the
 * cuts, that many starts and fewer steps (at least `minSteps`), without cuts. A bigger model gets
 * fewer starts, not a longer wait. `cut: false` (every start's own best is wanted) leaves the cuts out.
 */
export function fitBudget(
  cost: StepCost,
  seconds: number,
  defaults: { steps: number; restarts: number },
  cut = true,
): BudgetChoice {
  // A step is one batched gradient plus Adam's update and the read-back, which add little beside a CNN's
  // gradient: a factor 1.2 for them (before) estimated the CNN's 64- and 128-start runs with the cuts at
  // 3.6 s where they took 2.25 and 2.95 s of CPU (one thread, load 13); the measured gradients alone, 3.0 s.
  const stepSeconds = (starts: number) => cost.fixed + cost.perStart * starts;
  const { steps } = defaults;
  if (stepSeconds(defaults.restarts) * steps <= seconds) {
    return { seconds, steps, restarts: defaults.restarts, secondsPerStep: stepSeconds(defaults.restarts) };
  }
  const allCuts = cuts.map((c) => ({ after: Math.ceil(steps * c.share), starts: c.starts }));
  const cutSteps = Math.round(steps * cutRunStepFactor);
  // The cuts that keep fewer starts than run: the others would cut nothing.
  const cutsFor = (restarts: number) => allCuts.filter((c) => c.starts < restarts);
  const runSeconds = (restarts: number) => {
    let total = 0;
    let [from, active] = [0, restarts];
    for (const c of cutsFor(restarts)) {
      total += stepSeconds(active) * (c.after - from);
      [from, active] = [c.after, Math.min(active, c.starts)];
    }
    return total + stepSeconds(active) * (cutSteps - from);
  };
  let restarts = defaults.restarts;
  while (restarts > minRestarts && runSeconds(restarts) > seconds) restarts /= 2;
  restarts = Math.floor(restarts);
  if (cut && restarts > allCuts.at(-1)!.starts && runSeconds(restarts) <= seconds) {
    const keepBest = cutsFor(restarts);
    return { seconds, steps: cutSteps, restarts, secondsPerStep: runSeconds(restarts) / cutSteps, keepBest };
  }
  // Without cuts: the starts halved until the steps fit, then the steps cut.
  restarts = defaults.restarts;
  while (restarts > minRestarts && stepSeconds(restarts) * steps > seconds) restarts /= 2;
  restarts = Math.max(Math.min(minRestarts, defaults.restarts), Math.floor(restarts));
  const fit = Math.floor(seconds / stepSeconds(restarts));
  return {
    seconds,
    steps: Math.min(steps, Math.max(minSteps, fit)),
    restarts,
    secondsPerStep: stepSeconds(restarts),
  };
}
