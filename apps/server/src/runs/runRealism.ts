import type { Realism } from '@argmax/core';
import type { Run } from '@argmax/db';
import { z } from 'zod';
import type { RealismMessage } from '../jobs/thread/realismMessages.ts';
import { inputToPngDataUrl } from './runImages.ts';
import type { RunSpec } from './runSpec.ts';

/**
 * An image a prior search produced, with its realism in brief (a frontier point, a diverse prototype): its
 * value, the nearest training image's distance and percentile, the manifold percentile, the judges.
 */
export const realisticPointSchema = z.object({
  value: z.number(),
  image: z.string().nullable(),
  nearestDistance: z.number(),
  nearestPercentile: z.number(),
  manifoldPercentile: z.number(),
  judgesAgreeing: z.number().int().nullable(),
  realistic: z.boolean(),
});

export type RealisticPoint = z.infer<typeof realisticPointSchema>;

/** A realistic point as storage keeps it, from core's measures and the point's PNG. */
export function storedRealisticPoint(
  point: { value: number; realism: Realism; realistic: boolean },
  image: string | null,
): RealisticPoint {
  return {
    value: point.value,
    image,
    nearestDistance: point.realism.nearestTraining.distance,
    nearestPercentile: point.realism.nearestTraining.percentile,
    manifoldPercentile: point.realism.manifold.percentile,
    judgesAgreeing: point.realism.judgesAgreeing ?? null,
    realistic: point.realistic,
  };
}

/** A point of the price of realism (core's realismFrontier): its fraction t along the ray. */
const frontierPointSchema = realisticPointSchema.extend({ t: z.number() });

/**
 * How realistic a run's best input is, as storage keeps it (`runs.realism`) and `Run.realism` shows it:
 * core's realism measures (see the README's "Realism") with the nearest training image as a PNG data URL,
 * the criteria's bounds and which of them the input meets.
 */
const realismSchema = z.object({
  dataset: z.enum(['fashion-mnist', 'mnist']),
  targetClass: z.number().int().nullable(),
  nearest: z.object({
    index: z.number().int(),
    label: z.number().int().nullable(),
    distance: z.number(),
    percentile: z.number(),
    image: z.string().nullable(),
  }),
  manifold: z.object({ components: z.number().int(), distance: z.number(), percentile: z.number() }),
  judges: z.array(z.object({ name: z.string(), label: z.number().int(), probability: z.number() })),
  judgesAgreeing: z.number().int().nullable(),
  bounds: z.object({ nearestLow: z.number(), nearestHigh: z.number(), manifoldHigh: z.number() }),
  checks: z.object({ nearest: z.boolean(), manifold: z.boolean(), judges: z.boolean() }),
  realistic: z.boolean(),
  /** Absent in rows stored before the frontier was measured. */
  frontier: z.array(frontierPointSchema).nullable().default(null),
});

export type RunRealism = z.infer<typeof realismSchema>;

export function storedRealism(message: RealismMessage, spec: RunSpec): RunRealism {
  const { realism } = message;
  return {
    dataset: message.dataset === 'mnist' ? 'mnist' : 'fashion-mnist',
    targetClass: message.targetClass,
    nearest: {
      index: realism.nearestTraining.index,
      label: realism.nearestTraining.label ?? null,
      distance: realism.nearestTraining.distance,
      percentile: realism.nearestTraining.percentile,
      // Training images are pixels in [0, 1], whatever box the run searched.
      image: inputToPngDataUrl(message.nearestInput, spec.inputShape, [0, 1]),
    },
    manifold: realism.manifold,
    judges: realism.judges,
    judgesAgreeing: realism.judgesAgreeing ?? null,
    bounds: message.bounds,
    checks: message.checks,
    realistic: message.realistic,
    frontier:
      message.frontier?.map((point) => ({
        t: point.t,
        ...storedRealisticPoint(point, inputToPngDataUrl(point.input, spec.inputShape, spec.imageRange)),
      })) ?? null,
  };
}

/** A stored run's realism, parsed; null when it was not measured. A row this code wrote always parses. */
export function readRunRealism(run: Pick<Run, 'id' | 'realism'>): RunRealism | null {
  if (run.realism === null || run.realism === undefined) return null;
  const result = realismSchema.safeParse(run.realism);
  if (!result.success)
    throw new Error(`run ${run.id}: its stored realism does not parse: ${z.prettifyError(result.error)}`);
  return result.data;
}
