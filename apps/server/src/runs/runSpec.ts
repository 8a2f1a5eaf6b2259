import type { OptimizeOptions } from '@argmax/core';
import { z } from 'zod';
import { certifyRequestSchema } from '../jobs/thread/certificateMessages.ts';
import type { OptimizeJob } from '../jobs/thread/jobMessages.ts';
import { snapshotPolicySchema } from '../jobs/thread/snapshotSchedule.ts';

/**
 * A run spec, written down once: what a validated run request becomes (`runInput.ts` builds it), what
 * storage keeps as JSON and what `readRunSpec` parses back, what the job carries to the worker thread, and
 * what the schema shows as `Run.spec`. Its `options` are the core's `OptimizeOptions` as plain data (the
 * check below fails to compile if the two drift apart).
 */

const int = z.number().int();
const values = z.array(z.number());

const objective = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['logit', 'prob', 'logprob', 'margin']), index: int }),
  z.object({ kind: z.literal('unit'), layer: z.string(), index: int }),
  z.object({ kind: z.literal('channel'), layer: z.string(), channel: int }),
]);

const ball = z.object({ reference: values, epsilon: z.number() });

const constraints = z.object({
  box: z.object({ lo: z.number(), hi: z.number() }).default(() => unitBox),
  linf: ball.optional(),
  l2: ball.optional(),
  /** `fixed[i]` is 1 where the input stays at `reference[i]`. */
  mask: z.object({ fixed: values, reference: values }).optional(),
  linear: z
    .array(
      z.object({
        weights: z.union([values, z.literal('mean')]),
        sense: z.enum(['<=', '>=']),
        bound: z.number(),
      }),
    )
    .optional(),
  quantize: z.object({ levels: int }).optional(),
});

const regularizers = z.object({
  l2: z.number().optional(),
  tv: z.number().optional(),
  blur: z.number().optional(),
  blurEvery: int.optional(),
  jitter: int.optional(),
});

/** The box the core assumes when none is given. */
const unitBox = { lo: 0, hi: 1 };

/** `method` and `constraints` may be absent in a stored spec: the core's defaults then applied, and read back. */
export const runOptionsSchema = z.object({
  objective,
  method: z
    .enum(['trainable-input-layer', 'normalized-gradient-ascent', 'projected-adam'])
    .default('projected-adam'),
  /** Absent when `timeBudget` chose them (the run's `timings.budget` records the choice). */
  steps: int.optional(),
  restarts: int.optional(),
  /** Seconds for projected-adam's gradient steps, when they and the starts were left to fit it. */
  timeBudget: z.number().optional(),
  seed: int.optional(),
  learningRate: z.number().optional(),
  parameterization: z.enum(['pixel', 'sigmoid', 'fourier']).optional(),
  constraints: constraints.default(() => ({ box: unitBox })),
  regularizers: regularizers.optional(),
});

export const runSpecSchema = z.object({
  options: runOptionsSchema,
  /** Model input shape without the batch dim, and the box used to scale images. */
  inputShape: z.array(int),
  imageRange: z.tuple([z.number(), z.number()]),
  /** Absent in runs stored before certificates and snapshot policies were part of the request. */
  certify: certifyRequestSchema.optional(),
  snapshots: snapshotPolicySchema.optional(),
  /** Search only realistic inputs: the dataset's prior (see the README's "Realistic answers"). */
  prior: z.enum(['fashion-mnist', 'mnist']).optional(),
  /**
   * With a prior and a class target: start from a real image and stay near it (core's accentuate): the
   * user's `reference` (model input order), or row `trainingIndex` of the prior's training sample, or
   * when neither is given the prior's training image of the class that the model scores highest.
   */
  accentuate: z.object({ reference: values.optional(), trainingIndex: int.optional() }).optional(),
  /** With a prior and a class target: also this many distinct realistic prototypes (core's diversePrototypes). */
  diverse: int.optional(),
});

export type RunSpec = z.infer<typeof runSpecSchema>;
export type RunOptions = RunSpec['options'];

/**
 * Compile-time checks: the parsed options are what the core's optimiser takes and what the job carries to
 * the worker thread, without a cast.
 */
type Fits<T extends U, U> = T;
export type RunOptionsFitCore = Fits<RunOptions, OptimizeOptions>;
export type RunOptionsFitJob = Fits<RunOptions, OptimizeJob['options']>;

const parsed = new WeakMap<object, RunSpec>();

/**
 * A stored run's spec, parsed (once per stored object). A spec that does not parse is a server fault (the
 * row was written by this code), so it throws a plain error, masked from clients.
 */
export function readRunSpec(run: { id: string; spec: unknown }): RunSpec {
  const stored = run.spec;
  const known = stored !== null && typeof stored === 'object' ? parsed.get(stored) : undefined;
  if (known) return known;
  const result = runSpecSchema.safeParse(stored);
  if (!result.success)
    throw new Error(`run ${run.id}: its stored spec does not parse: ${z.prettifyError(result.error)}`);
  if (stored !== null && typeof stored === 'object') parsed.set(stored, result.data);
  return result.data;
}
