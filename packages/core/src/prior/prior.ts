import type { Judge } from '../realism/judges.ts';
import type { RealismReference } from '../realism/realismReference.ts';
import type { GenerativePrior } from './generativePrior.ts';
import type { SubspacePrior } from './subspacePrior.ts';

/** Bumped whenever the stored layout or the recipe changes: older cached priors are rebuilt. */
export const priorFormatVersion = 3;

/**
 * How a run searches inside a prior: the subspaces (a class's own for class targets, else the data's)
 * or the learned generative prior's latent code (`vae`).
 */
export type PriorMethod = 'subspace' | 'vae';

/**
 * A prior: everything built once from a sample of real inputs and reused by every run on that data.
 * `subspace` is what the optimiser searches in; `realism` and `judges` are what results are measured
 * against.
 */
export interface Prior {
  /** Dataset (or sample) name. */
  name: string;
  /** Input shape without the batch axis, and the box the sample's values lie in. */
  shape: number[];
  box: [number, number];
  classNames?: string[];
  subspace: SubspacePrior;
  /** One subspace per class (its own mean and components), when the sample has labels: see classSubspaces. */
  classSubspaces?: SubspacePrior[];
  realism: RealismReference;
  judges: Judge[];
  /** The learned generative prior (a VAE's decoder), once a run has asked for it: see datasetPrior. */
  generative?: GenerativePrior;
  build: PriorBuildInfo;
}

export interface PriorBuildInfo {
  version: number;
  trainExamples: number;
  heldOutExamples: number;
  /** Share of the sample's variance the subspace's components hold. */
  explainedVariance: number;
  seconds: number;
  /** Process CPU time of the build (user + system): what a quiet machine would take, roughly. */
  cpuSeconds?: number;
  date: string;
}
