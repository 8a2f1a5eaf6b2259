import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type DatasetName, priorDir } from '@argmax/core';

/** Where a dataset's prior is kept and from how much data (ServerConfig.priors). */
export interface PriorLocation {
  dataset: DatasetName;
  /** The priors folder (`priorDir(dir, name)` holds one prior). */
  dir: string;
  sample: 'full' | 'small';
}

/** The name a prior is kept under: a small one never stands in for the full one. */
export const priorName = (location: PriorLocation): string =>
  location.sample === 'small' ? `${location.dataset}-small` : location.dataset;

/** The prior's own folder (under its format version: an older layout is rebuilt). */
export const priorFolder = (location: PriorLocation): string => priorDir(location.dir, priorName(location));

/** Whether the prior is built and stored (its manifest is written last, by a rename). */
export async function priorStored(location: PriorLocation): Promise<boolean> {
  try {
    await access(join(priorFolder(location), 'prior.json'));
    return true;
  } catch {
    return false;
  }
}
