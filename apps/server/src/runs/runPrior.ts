import type { ServerConfig } from '../config.ts';
import type { PriorLocation } from '../jobs/thread/priorLocation.ts';
import type { PriorDataset } from '../models/modelDataset.ts';

export const priorLocation = (config: ServerConfig, dataset: PriorDataset): PriorLocation => ({
  dataset,
  dir: config.priors.dir,
  sample: config.priors.sample,
});
