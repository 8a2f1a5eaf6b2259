import { z } from 'zod';

/**
 * A training job's spec, written down once: what `trainModel` stores as JSON and what the executor reads
 * back through the same schema.
 */
export const trainingSpecSchema = z.object({
  name: z.string(),
  dataset: z.enum(['fashion-mnist', 'mnist']),
  arch: z.enum(['mlp', 'cnn']),
  epochs: z.number().int(),
  seed: z.number().int(),
  /** Smoke tests and demos: stop each epoch after this many batches. */
  batchesPerEpoch: z.number().int().optional(),
});

export type TrainingSpec = z.infer<typeof trainingSpecSchema>;

/** A stored job's spec, parsed; one that does not parse is a server fault (masked from clients). */
export function readTrainingSpec(job: { id: string; spec: unknown }): TrainingSpec {
  const result = trainingSpecSchema.safeParse(job.spec);
  if (!result.success)
    throw new Error(
      `training job ${job.id}: its stored spec does not parse: ${z.prettifyError(result.error)}`,
    );
  return result.data;
}
