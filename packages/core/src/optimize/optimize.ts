import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend/initBackend.ts';
import { buildFeasibleSet, type FeasibleSet, feasibleWithin } from '../constraints/feasibleSet.ts';
import { quantizeInput, roundings } from '../constraints/quantize.ts';
import { assertFinite, CancelledError } from '../errors.ts';
import { prewarmSolver } from '../lp/solveLp.ts';
import type { MethodContext, MethodOutcome, MethodRun } from '../methods/methodContext.ts';
import { normalizedGradientAscent } from '../methods/normalizedGradientAscent.ts';
import { projectedAdam } from '../methods/projectedAdam.ts';
import { trainableInputLayer } from '../methods/trainableInputLayer.ts';
import { spatialLayerOf } from '../network/denseReluChain.ts';
import { tapModel } from '../network/modelTaps.ts';
import { buildObjective, type CompiledObjective } from '../objectives/buildObjective.ts';
import { polishBestInput } from '../polish/polishBestInput.ts';
import type {
  BudgetChoice,
  MethodName,
  OptimizationEvent,
  OptimizationResult,
  OptimizeOptions,
  StartResult,
  StepEvent,
} from '../spec/types.ts';
import { evaluateInputs } from './evaluateInputs.ts';
import { type GradientBackend, gradientBackend } from './gradientBackend.ts';
import { resolveOptions } from './resolveOptions.ts';
import { confirmStepCost, defaultStarts, fitBudget, measureStepCost, timeGradient } from './timeBudget.ts';

const methods: Record<MethodName, (context: MethodContext) => MethodRun> = {
  'projected-adam': projectedAdam,
  'normalized-gradient-ascent': normalizedGradientAscent,
  'trainable-input-layer': trainableInputLayer,
};

/**
 * Wall-clock budget for the exact polish of ReLU MLPs, a limit rather than its usual length: on the
 * seed MLP the search ends on its own once no toggle promises more (often within 100–200 ms), and the
 * margin is for a loaded machine, where one LP can take 100–300 ms.
 */
const polishTimeLimitMs = 400;
/**
 * Or this share of the time the run took so far, when that is more: the gradient steps measure the
 * machine's speed at the moment (a loaded machine ran a deep MLP's region LPs 5–10× slower), so the
 * polish keeps the same reach, adding at most this share to a run.
 */
const polishTimeShare = 0.5;
/**
 * The limit instead of `polishTimeLimitMs` for a small net with several ReLU layers (see
 * polishBestInput's `deepTimeLimitMs`), a cap: its search ends on its own once a neighbourhood MILP
 * of 16 free ReLUs finds nothing better (on an 80-24-16 net after ~3 s of CPU, where the optimum lay
 * 2 % above the walks' end, out of reach of a few hundred ms). A one-layer net (the seed MLP) keeps
 * the short limit.
 */
const deepPolishTimeLimitMs = 5000;
/**
 * Or this multiple of the time the run took so far, when that is more: the MILPs need the same CPU
 * time on a loaded machine, where the gradient steps measure how much slower it runs (at load ~20 on
 * 2 cores the 80-24-16 net's steps took 8–10 s, its search ~30 s, and 5 s left it at 0.98).
 */
const deepPolishTimeFactor = 4;

/**
 * Finds the input of `model` that maximises `options.objective` under `options.constraints`.
 * Validates everything before the first step (options, objective, constraints, model weights), then
 * streams one StepEvent per step and ends with one `done` event holding the result (after the polish
 * and quantisation, both re-evaluated). `options.signal` aborts with CancelledError; stopping the
 * iteration early also frees everything.
 */
export async function* optimize(
  model: tfl.LayersModel,
  options: OptimizeOptions,
): AsyncGenerator<OptimizationEvent, void, undefined> {
  const started = performance.now();
  await initBackend();
  const network = tapModel(model);
  let run: MethodRun | undefined;
  let backend: GradientBackend | undefined;
  try {
    const input = { size: network.inputSize, shape: network.inputShape };
    const resolved = resolveOptions(options, input);
    const objective = buildObjective(network, options.objective);
    const set = buildFeasibleSet(options.constraints, input);
    for (const weight of model.weights)
      assertFinite(weight.read().dataSync() as Float32Array, `model weight ${weight.name}`);
    if (options.signal?.aborted) throw new CancelledError();
    const log = options.log ?? ((line: string) => console.error(line));
    backend = await gradientBackend(model, objective, log);
    // A convolution or pooling layer: few weights, many multiply-adds, and no polish.
    const spatial = spatialLayerOf(model);
    let budget: BudgetChoice | undefined;
    if (resolved.timeBudget !== undefined) {
      const { steps } = resolved.settings;
      const restarts = defaultStarts(resolved.settings.restarts, model.countParams(), !spatial);
      const cost = confirmStepCost(
        measureStepCost(objective, set),
        resolved.timeBudget,
        { steps, restarts },
        () => timeGradient(objective, set, restarts, 1),
      );
      budget = fitBudget(cost, resolved.timeBudget, { steps, restarts }, !resolved.settings.returnAllStarts);
      resolved.settings = {
        ...resolved.settings,
        steps: budget.steps,
        restarts: budget.restarts,
        ...(budget.keepBest ? { keepBest: budget.keepBest } : {}),
      };
      const cut = (budget.keepBest ?? []).map((c) => `, the best ${c.starts} after ${c.after}`).join('');
      log(
        `argmax: time budget ${budget.seconds} s: ${budget.restarts} starts × ${budget.steps} steps${cut} (~${(budget.secondsPerStep * 1000).toPrecision(3)} ms a step)`,
      );
    }
    // The exact polish solves in its own thread: start it now, beside the gradient steps (not for a
    // model it skips at its first layer check, such as a CNN: loading the solver would take CPU time
    // from the steps).
    if (resolved.polish && !spatial) prewarmSolver();

    run = methods[resolved.method]({
      objective,
      set,
      settings: resolved.settings,
      snapshot: resolved.snapshot,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let next = await run.next();
    while (!next.done) {
      yield next.value as StepEvent;
      next = await run.next();
    }
    let outcome: MethodOutcome = next.value;
    run = undefined;

    let valueBeforePolish: number | undefined;
    let polishSkipped: string | undefined;
    if (resolved.polish) {
      const elapsed = performance.now() - started;
      const polished = await polishBestInput(model, options.objective, set, outcome.input, {
        timeLimitMs: Math.max(polishTimeLimitMs, polishTimeShare * elapsed),
        deepTimeLimitMs: Math.max(deepPolishTimeLimitMs, deepPolishTimeFactor * elapsed),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if ('skipped' in polished) polishSkipped = polished.skipped;
      else {
        const candidate = Float32Array.from(polished.input);
        if (set.violation(candidate) > feasibleWithin) set.project(candidate);
        const [evaluated] = evaluateInputs(objective, [candidate]);
        if (evaluated!.value > outcome.value) {
          valueBeforePolish = outcome.value;
          outcome = { ...outcome, input: candidate, value: evaluated!.value };
        }
      }
    }
    if (options.signal?.aborted) throw new CancelledError();

    let valueBeforeQuantize: number | undefined;
    let starts = outcome.starts;
    if (set.quantize) {
      valueBeforeQuantize = outcome.value;
      const [best] = quantizeBest(objective, set, [outcome.input]);
      outcome = { ...outcome, input: best!.input };
      if (starts)
        starts = quantizeBest(
          objective,
          set,
          starts.map((s) => s.input),
        );
    }
    const [final] = evaluateInputs(objective, [outcome.input]);
    const result: OptimizationResult = {
      input: outcome.input,
      shape: [...network.inputShape],
      ...(network.inputs.length > 1
        ? { inputs: network.inputs.map((i) => ({ ...i, shape: [...i.shape] })) }
        : {}),
      value: final!.value,
      outputs: final!.outputs,
      violation: set.violation(outcome.input),
      method: resolved.method,
      backend: backend.name,
      steps: resolved.settings.steps,
      restarts: resolved.settings.restarts,
      seconds: (performance.now() - started) / 1000,
      ...(budget ? { budget } : {}),
      ...(valueBeforeQuantize !== undefined ? { valueBeforeQuantize } : {}),
      ...(valueBeforePolish !== undefined ? { valueBeforePolish } : {}),
      ...(polishSkipped !== undefined ? { polishSkipped } : {}),
      ...(starts ? { starts } : {}),
    };
    yield { type: 'done', result };
  } finally {
    // Stopped early (break, error, abort): let the method free its tensors.
    await run?.return(undefined as never);
    network.dispose();
    await backend?.restore();
  }
}

/** Drains `optimize`, calling `onStep` for every step, and returns the result. */
export async function runOptimization(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  onStep?: (event: StepEvent) => void,
): Promise<OptimizationResult> {
  for await (const event of optimize(model, options)) {
    if (event.type === 'done') return event.result;
    onStep?.(event);
  }
  throw new Error('optimize ended without a result');
}

/**
 * Each input rounded onto the quantisation grid: of the candidate roundings, the best feasible one
 * by objective (all evaluated in one batch), else the least infeasible.
 */
function quantizeBest(objective: CompiledObjective, set: FeasibleSet, inputs: Float32Array[]): StartResult[] {
  const levels = set.quantize!.levels;
  const candidates = inputs.flatMap((input) =>
    roundings.map((rounding) => quantizeInput(input, set, levels, rounding)),
  );
  const evaluated = evaluateInputs(objective, candidates);
  return inputs.map((_, i) => {
    let chosen: StartResult | undefined;
    for (let r = 0; r < roundings.length; r++) {
      const input = candidates[i * roundings.length + r]!;
      const candidate = {
        input,
        value: evaluated[i * roundings.length + r]!.value,
        violation: set.violation(input),
      };
      const feasible = candidate.violation <= feasibleWithin;
      const chosenFeasible = chosen !== undefined && chosen.violation <= feasibleWithin;
      if (
        !chosen ||
        (feasible && !chosenFeasible) ||
        (feasible && chosenFeasible && candidate.value > chosen.value) ||
        (!feasible && !chosenFeasible && candidate.violation < chosen.violation)
      ) {
        chosen = candidate;
      }
    }
    return chosen!;
  });
}
