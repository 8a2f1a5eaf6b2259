import type { InputDescription } from '../constraints/vectors.ts';
import { InvalidArgumentError } from '../errors.ts';
import { imageShapeOf, requireImage } from '../methods/imageShape.ts';
import type { MethodSettings } from '../methods/methodContext.ts';
import type { MethodName, OptimizeOptions, RegularizerSpec } from '../spec/types.ts';
import { defaultTimeBudget } from './timeBudget.ts';

export const methodNames: MethodName[] = [
  'projected-adam',
  'normalized-gradient-ascent',
  'trainable-input-layer',
];

/**
 * Per-method defaults. normalized-gradient-ascent keeps the recipe's own numbers (50 steps of size 1
 * from one random start). projected-adam's were tuned on the Fashion-MNIST MLPs (bench/src/
 * optimization.ts): a large rate (0.3 of a [0, 1] box) decaying to 2 % lets the starts hop between
 * activation regions before settling; which local maximum a start reaches is settled early and the
 * best ones are rare, so starts matter more than steps (on the seed MLP, 128 starts missed the best
 * value found with 64× the budget by > 0.1 % in 5 of 60 runs, 64 starts in 16 of 60); 80 steps
 * leave < 0.01 % for the exact polish to close. A rate of 0.6 let every start of a batch fall into the
 * same basin more often (3 of 30 class/seed pairs > 0.1 % below the best, against 1 of 30 at 0.3).
 */
export const methodDefaults: Record<MethodName, { steps: number; restarts: number; learningRate: number }> = {
  'projected-adam': { steps: 80, restarts: 128, learningRate: 0.3 },
  'normalized-gradient-ascent': { steps: 50, restarts: 1, learningRate: 1 },
  'trainable-input-layer': { steps: 200, restarts: 1, learningRate: 0.05 },
};

export const maxSteps = 1_000_000;
export const maxRestarts = 4096;
/** restarts × input size: one `[restarts, D]` float32 tensor stays under 256 MB. */
const maxBatchValues = 2 ** 26;

export interface ResolvedOptions {
  method: MethodName;
  settings: MethodSettings;
  snapshot: (step: number, steps: number) => boolean;
  polish: boolean;
  /** Seconds the default run may take, when its steps and starts are left to fit a time budget. */
  timeBudget?: number;
}

/** Every step for the first 50, then ~20 log-spaced steps per decade, and always the last one. */
export function defaultSnapshot(step: number, steps: number): boolean {
  if (step < 50 || step === steps - 1) return true;
  return Math.floor(Math.log10(step + 1) * 20) !== Math.floor(Math.log10(step) * 20);
}

/** Checks every option against the method and the model input; fills in the defaults. */
export function resolveOptions(options: OptimizeOptions, input: InputDescription): ResolvedOptions {
  if (options == null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an object with at least { objective }');
  }
  const method = options.method ?? 'projected-adam';
  if (!methodNames.includes(method)) {
    throw new InvalidArgumentError('method', method, `one of ${methodNames.join(', ')}`);
  }
  const defaults = methodDefaults[method];
  const steps = integerIn(options.steps ?? defaults.steps, 'steps', 1, maxSteps);
  const restarts = integerIn(options.restarts ?? defaults.restarts, 'restarts', 1, maxRestarts);
  if (restarts * input.size > maxBatchValues) {
    throw new InvalidArgumentError(
      'restarts',
      restarts,
      `at most ${Math.floor(maxBatchValues / input.size)} for a model with ${input.size} inputs (memory)`,
    );
  }
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError('seed', seed, 'an integer');
  const learningRate = options.learningRate ?? defaults.learningRate;
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= 0) {
    throw new InvalidArgumentError('learningRate', learningRate, 'a finite number > 0');
  }
  const parameterization = options.parameterization ?? 'pixel';
  const allowed: Record<MethodName, string[]> = {
    'projected-adam': ['pixel', 'sigmoid', 'fourier'],
    'trainable-input-layer': ['pixel', 'sigmoid'],
    'normalized-gradient-ascent': ['pixel'],
  };
  if (!allowed[method].includes(parameterization)) {
    throw new InvalidArgumentError(
      'parameterization',
      parameterization,
      `${allowed[method].join(' or ')} for method ${method}`,
    );
  }
  if (parameterization === 'fourier') requireImage(input.shape, 'parameterization', parameterization);
  const regularizers = checkRegularizers(options.regularizers, method, input);
  if (options.snapshot !== undefined && typeof options.snapshot !== 'function') {
    throw new InvalidArgumentError('snapshot', options.snapshot, 'a function (step, steps) => boolean');
  }
  if (options.log !== undefined && typeof options.log !== 'function') {
    throw new InvalidArgumentError('log', options.log, 'a function (line) => void');
  }
  const timeBudget = options.timeBudget ?? defaultTimeBudget;
  if (typeof timeBudget !== 'number' || !Number.isFinite(timeBudget) || timeBudget <= 0) {
    throw new InvalidArgumentError('timeBudget', timeBudget, 'a finite number of seconds > 0');
  }
  for (const flag of ['returnAllStarts', 'polish'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') {
      throw new InvalidArgumentError(flag, options[flag], 'true or false');
    }
  }
  return {
    method,
    settings: {
      steps,
      restarts,
      seed,
      learningRate,
      parameterization,
      regularizers,
      returnAllStarts: options.returnAllStarts ?? false,
    },
    snapshot: options.snapshot ?? defaultSnapshot,
    polish: method === 'projected-adam' && options.polish !== false,
    // Only projected-adam's defaults are sized by measurement; counts that were asked for are kept.
    ...(method === 'projected-adam' && options.steps === undefined && options.restarts === undefined
      ? { timeBudget }
      : {}),
  };
}

function integerIn(value: unknown, argument: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, value, `an integer in [${min}, ${max.toLocaleString('en-US')}]`);
  }
  return value;
}

function checkRegularizers(
  spec: RegularizerSpec | undefined,
  method: MethodName,
  input: InputDescription,
): RegularizerSpec {
  if (spec === undefined) return {};
  if (spec === null || typeof spec !== 'object') {
    throw new InvalidArgumentError(
      'regularizers',
      spec,
      'an object { l2?, tv?, blur?, blurEvery?, jitter? }',
    );
  }
  const used = Object.entries(spec).filter(([, v]) => v !== undefined && v !== 0);
  if (used.length > 0 && method !== 'projected-adam') {
    throw new InvalidArgumentError(
      'regularizers',
      used.map(([k]) => k).join(', '),
      'regularizers only with method projected-adam',
    );
  }
  for (const [key, value] of Object.entries(spec)) {
    if (!['l2', 'tv', 'blur', 'blurEvery', 'jitter'].includes(key)) {
      throw new InvalidArgumentError(`regularizers.${key}`, value, 'one of l2, tv, blur, blurEvery, jitter');
    }
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new InvalidArgumentError(`regularizers.${key}`, value, 'a finite number ≥ 0');
    }
  }
  for (const key of ['tv', 'blur', 'jitter'] as const) {
    if (spec[key]) requireImage(input.shape, `regularizers.${key}`, spec[key]);
  }
  if (spec.blurEvery !== undefined && (!Number.isInteger(spec.blurEvery) || spec.blurEvery < 1)) {
    throw new InvalidArgumentError('regularizers.blurEvery', spec.blurEvery, 'an integer ≥ 1');
  }
  const image = imageShapeOf(input.shape);
  if (
    spec.jitter &&
    image &&
    (!Number.isInteger(spec.jitter) || spec.jitter >= Math.min(image.height, image.width))
  ) {
    throw new InvalidArgumentError(
      'regularizers.jitter',
      spec.jitter,
      `an integer number of pixels below ${Math.min(image.height, image.width)}`,
    );
  }
  return { ...spec };
}
