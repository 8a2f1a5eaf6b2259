import { methodDefaults } from '@argmax/core';
import type { ModelSummary } from '@argmax/db';
import { z } from 'zod';
import type { ServerConfig } from '../config.ts';
import { badInput, limitExceeded } from '../errors.ts';
import { priorDatasets } from '../models/modelDataset.ts';
import { parseInput } from '../validation.ts';
import { breaksRule, brokenCrossFieldRules, runInputDefaults, runInputRules } from './runInputRules.ts';
import type { RunOptions, RunSpec } from './runSpec.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** A number field checked by its rule in `runInputRules.ts`. */
const ruled = (path: keyof typeof runInputRules) =>
  z.number().superRefine((value, ctx) => {
    const message = breaksRule(runInputRules[path], value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const target = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['LOGIT', 'PROB', 'LOGPROB', 'MARGIN']), index: ruled('target.index') }),
  z.object({ kind: z.literal('UNIT'), layer: z.string().min(1), index: ruled('target.index') }),
  z.object({ kind: z.literal('CHANNEL'), layer: z.string().min(1), index: ruled('target.index') }),
]);

const ball = (name: 'linf' | 'l2') =>
  z.object({ reference: z.array(finite).min(1), epsilon: ruled(`constraints.${name}.epsilon`) });

const runInput = z
  .object({
    target: z
      .object({ kind: z.string(), index: z.number().int().nullish(), layer: z.string().nullish() })
      .transform((t, ctx) => {
        const parsed = target.safeParse({
          kind: t.kind,
          index: t.index ?? undefined,
          layer: t.layer ?? undefined,
        });
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
          return z.NEVER;
        }
        return parsed.data;
      }),
    method: z.enum(['TRAINABLE_INPUT_LAYER', 'NORMALIZED_GRADIENT_ASCENT', 'PROJECTED_ADAM']).nullish(),
    steps: ruled('steps').nullish(),
    restarts: ruled('restarts').nullish(),
    timeBudgetSeconds: ruled('timeBudgetSeconds').nullish(),
    seed: ruled('seed').nullish(),
    learningRate: ruled('learningRate').nullish(),
    parameterization: z.enum(['PIXEL', 'SIGMOID', 'FOURIER']).nullish(),
    constraints: z
      .object({
        box: z
          .object({ lo: ruled('constraints.box.lo'), hi: ruled('constraints.box.hi') })
          .refine((b) => b.lo <= b.hi, { message: 'lo must be ≤ hi', path: ['lo'] })
          .nullish(),
        linf: ball('linf').nullish(),
        l2: ball('l2').nullish(),
        fixedMask: z
          .object({ indices: z.array(z.number().int().min(0)), reference: z.array(finite).min(1) })
          .nullish(),
        linear: z
          .array(
            z.object({
              weights: z.array(finite).nullish(),
              mean: z.boolean().nullish(),
              sense: z.enum(['LE', 'GE']),
              bound: finite,
            }),
          )
          .max(16)
          .nullish(),
        quantizeLevels: ruled('constraints.quantizeLevels').nullish(),
      })
      .nullish(),
    regularizers: z
      .object({
        l2: ruled('regularizers.l2').nullish(),
        tv: ruled('regularizers.tv').nullish(),
        blur: ruled('regularizers.blur').nullish(),
        blurEvery: ruled('regularizers.blurEvery').nullish(),
        jitter: ruled('regularizers.jitter').nullish(),
      })
      .nullish(),
    certify: z.object({ timeLimitSeconds: ruled('certify.timeLimitSeconds').nullish() }).nullish(),
    prior: z.enum(['NONE', 'FASHION_MNIST', 'MNIST']).nullish(),
    accentuate: z
      .object({
        anchor: z.enum(['TYPICAL', 'REFERENCE', 'TRAINING']),
        reference: z.array(finite).min(1).nullish(),
        trainingIndex: ruled('accentuate.trainingIndex').nullish(),
      })
      .nullish(),
    diverse: ruled('diverse').nullish(),
    snapshots: z
      .object({
        dense: ruled('snapshots.dense').nullish(),
        perDecade: ruled('snapshots.perDecade').nullish(),
      })
      .nullish(),
  })
  // The rules between fields, from the same table the form applies: the first broken is reported.
  .superRefine((input, ctx) => {
    const [rule] = brokenCrossFieldRules(input);
    if (rule) ctx.addIssue({ code: 'custom', path: rule.field.split('.'), message: rule.message });
  });

export type RunInput = z.input<typeof runInput>;

const methodNames = {
  TRAINABLE_INPUT_LAYER: 'trainable-input-layer',
  NORMALIZED_GRADIENT_ASCENT: 'normalized-gradient-ascent',
  PROJECTED_ADAM: 'projected-adam',
} as const;

/**
 * Checks a run request against the model and the server's limits, and turns it into the core's options.
 * Everything the core would reject for the model's shape is caught here, so the user sees it at once.
 */
export function toRunSpec(raw: unknown, model: ModelSummary, config: ServerConfig): RunSpec {
  const input = parseInput(runInput, raw);
  const inputSize = model.inputShape.reduce((a, b) => a * b, 1);
  const t = input.target;
  if (
    (t.kind === 'LOGIT' || t.kind === 'PROB' || t.kind === 'LOGPROB' || t.kind === 'MARGIN') &&
    t.index >= model.outputCount
  )
    throw badInput(
      'target.index',
      `received ${t.index}; the model has ${model.outputCount} outputs (0..${model.outputCount - 1})`,
    );
  const counts = runCounts(input);
  // A budget chooses at most the core's default counts; the limits hold for those.
  const { steps, restarts } = 'timeBudget' in counts ? methodDefaults['projected-adam'] : counts;
  if (steps > config.limits.maxStepsPerRun)
    throw limitExceeded(
      'maxStepsPerRun',
      `steps: received ${steps}; at most ${config.limits.maxStepsPerRun}`,
    );
  if (steps * restarts > config.limits.maxStepsTimesRestarts)
    throw limitExceeded(
      'maxStepsTimesRestarts',
      `steps × restarts = ${steps * restarts}; at most ${config.limits.maxStepsTimesRestarts}`,
    );
  const c = input.constraints ?? {};
  for (const [name, b] of [
    ['linf', c.linf],
    ['l2', c.l2],
    ['fixedMask', c.fixedMask],
  ] as const)
    if (b && b.reference.length !== inputSize)
      throw badInput(
        `constraints.${name}.reference`,
        `has ${b.reference.length} values; the model input has ${inputSize}`,
      );
  const box = c.box ?? runInputDefaults.box;
  const fixed = new Array<number>(inputSize).fill(0);
  for (const i of c.fixedMask?.indices ?? []) {
    if (i >= inputSize)
      throw badInput('constraints.fixedMask.indices', `index ${i} is outside the input (size ${inputSize})`);
    fixed[i] = 1;
  }
  const linear = (c.linear ?? []).map((l, i) => {
    if (!l.mean && (!l.weights || l.weights.length !== inputSize))
      throw badInput(`constraints.linear.${i}`, `give mean: true or ${inputSize} weights`);
    return {
      weights: l.mean ? ('mean' as const) : l.weights!,
      sense: l.sense === 'LE' ? ('<=' as const) : ('>=' as const),
      bound: l.bound,
    };
  });
  const objective =
    t.kind === 'UNIT'
      ? { kind: 'unit' as const, layer: t.layer, index: t.index }
      : t.kind === 'CHANNEL'
        ? { kind: 'channel' as const, layer: t.layer, channel: t.index }
        : { kind: t.kind.toLowerCase() as 'logit' | 'prob' | 'logprob' | 'margin', index: t.index };
  const r = input.regularizers;
  const prior = priorOfInput(input.prior ?? runInputDefaults.prior, model);
  const extras = priorExtrasOfInput(input, inputSize);
  // The prior's certificate bounds the class search's set, not the ball around an anchor: none by default.
  const timeLimitSeconds =
    input.certify?.timeLimitSeconds ?? (extras.accentuate ? 0 : config.defaultCertifySeconds);
  if (timeLimitSeconds > config.limits.maxCertifySeconds)
    throw limitExceeded(
      'maxCertifySeconds',
      `certify.timeLimitSeconds: received ${timeLimitSeconds}; at most ${config.limits.maxCertifySeconds}`,
    );
  if (extras.accentuate && timeLimitSeconds > 0)
    throw badInput(
      'certify.timeLimitSeconds',
      `received ${timeLimitSeconds}; an accentuated run has no certificate (it bounds the class search's set, not the ball around the anchor): give 0`,
    );
  return {
    inputShape: model.inputShape,
    imageRange: [box.lo, box.hi],
    // With a prior the certificate bounds the set searched (see certifyPriorJob), not the box.
    certify: { timeLimitSeconds },
    ...(prior ? { prior } : {}),
    ...extras,
    snapshots: {
      dense: input.snapshots?.dense ?? runInputDefaults.snapshots.dense,
      perDecade: input.snapshots?.perDecade ?? runInputDefaults.snapshots.perDecade,
    },
    options: {
      objective,
      method: methodNames[input.method ?? runInputDefaults.method],
      ...counts,
      ...(input.seed != null ? { seed: input.seed } : {}),
      ...(input.learningRate != null ? { learningRate: input.learningRate } : {}),
      ...(input.parameterization
        ? { parameterization: input.parameterization.toLowerCase() as 'pixel' | 'sigmoid' | 'fourier' }
        : {}),
      constraints: {
        box,
        ...(c.linf ? { linf: c.linf } : {}),
        ...(c.l2 ? { l2: c.l2 } : {}),
        ...(c.fixedMask ? { mask: { fixed, reference: c.fixedMask.reference } } : {}),
        ...(linear.length > 0 ? { linear } : {}),
        ...(c.quantizeLevels ? { quantize: { levels: c.quantizeLevels } } : {}),
      },
      ...(r ? { regularizers: definedRegularizers(r) } : {}),
    },
  };
}

/**
 * The run's size: projected-adam given neither steps nor restarts gets a time budget (the core measures a
 * step on the model and chooses both, as the CLI's default run does); otherwise the counts, defaults
 * filling in the one not given.
 */
function runCounts(input: {
  method?: keyof typeof methodNames | null;
  steps?: number | null;
  restarts?: number | null;
  timeBudgetSeconds?: number | null;
}): { timeBudget: number } | { steps: number; restarts: number } {
  const method = input.method ?? runInputDefaults.method;
  // A budget given with counts, or to another method, was refused by the cross-field rules.
  if (method === 'PROJECTED_ADAM' && input.steps == null && input.restarts == null)
    return { timeBudget: input.timeBudgetSeconds ?? runInputDefaults.timeBudgetSeconds };
  return {
    steps: input.steps ?? runInputDefaults.steps,
    restarts: input.restarts ?? runInputDefaults.restarts,
  };
}

/**
 * The prior asked for, checked against the model (its input must be the dataset's image); that it replaces
 * the other constraints is a cross-field rule.
 */
function priorOfInput(name: keyof typeof priorDatasets, model: ModelSummary): RunSpec['prior'] {
  const dataset = priorDatasets[name];
  if (!dataset) return undefined;
  const size = model.inputShape.reduce((a, b) => a * b, 1);
  if (size !== 28 * 28)
    throw badInput(
      'prior',
      `the ${dataset} prior needs a model whose input is one 28×28 image (${size} values)`,
    );
  return dataset;
}

/**
 * Accentuation and diverse prototypes, their combinations already checked by the cross-field rules (a prior
 * and a class target, not each other, the anchor's own field); the reference's size needs the model.
 */
function priorExtrasOfInput(
  input: z.output<typeof runInput>,
  inputSize: number,
): Pick<RunSpec, 'accentuate' | 'diverse'> {
  const a = input.accentuate;
  const diverse = input.diverse ?? undefined;
  if (a?.reference && a.reference.length !== inputSize)
    throw badInput(
      'accentuate.reference',
      `has ${a.reference.length} values; the model input has ${inputSize}`,
    );
  return {
    ...(a
      ? {
          accentuate: a.reference
            ? { reference: a.reference }
            : a.trainingIndex != null
              ? { trainingIndex: a.trainingIndex }
              : {},
        }
      : {}),
    ...(diverse !== undefined ? { diverse } : {}),
  };
}

/** The regularizers given (null and absent alike left out). */
function definedRegularizers(
  r: {
    [K in keyof NonNullable<RunOptions['regularizers']>]?: number | null;
  },
): NonNullable<RunOptions['regularizers']> {
  const defined: NonNullable<RunOptions['regularizers']> = {};
  for (const key of ['l2', 'tv', 'blur', 'blurEvery', 'jitter'] as const) {
    const value = r[key];
    if (value != null) defined[key] = value;
  }
  return defined;
}
