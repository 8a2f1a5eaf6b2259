import type { Run } from '@argmax/db';
import { z } from 'zod';
import type { PriorSearchMessage } from '../jobs/thread/realismMessages.ts';
import { inputToPngDataUrl } from './runImages.ts';
import { realisticPointSchema, storedRealisticPoint } from './runRealism.ts';
import type { RunSpec } from './runSpec.ts';

/**
 * What a run's search in a prior found beside its answer, as storage keeps it (`runs.prior_search`) and
 * `Run.accentuation` / `Run.prototypes` show it: the accentuation's anchor and the diverse prototypes,
 * their images as PNG data URLs.
 */
const priorSearchSchema = z.object({
  anchor: z
    .object({
      index: z.number().int().nullable(),
      image: z.string().nullable(),
      value: z.number(),
      centreValue: z.number(),
      radius: z.number(),
      improved: z.boolean(),
    })
    .nullable(),
  prototypes: z.array(realisticPointSchema).nullable(),
});

export type RunPriorSearch = z.infer<typeof priorSearchSchema>;

export function storedPriorSearch(message: PriorSearchMessage, spec: RunSpec): RunPriorSearch {
  const png = (input: Float32Array) => inputToPngDataUrl(input, spec.inputShape, spec.imageRange);
  const { anchor } = message;
  return {
    anchor: anchor && {
      index: anchor.index,
      // A training image is pixels in [0, 1] whatever box the run searched; the user's is in the box.
      image:
        anchor.index === null ? png(anchor.input) : inputToPngDataUrl(anchor.input, spec.inputShape, [0, 1]),
      value: anchor.value,
      centreValue: anchor.centreValue,
      radius: anchor.radius,
      improved: anchor.improved,
    },
    prototypes: message.prototypes?.map((p) => storedRealisticPoint(p, png(p.input))) ?? null,
  };
}

/** A stored run's prior-search findings, parsed; null when it has none. A row this code wrote always parses. */
export function readRunPriorSearch(run: Pick<Run, 'id' | 'priorSearch'>): RunPriorSearch | null {
  if (run.priorSearch === null || run.priorSearch === undefined) return null;
  const result = priorSearchSchema.safeParse(run.priorSearch);
  if (!result.success)
    throw new Error(
      `run ${run.id}: its stored prior search does not parse: ${z.prettifyError(result.error)}`,
    );
  return result.data;
}
