import type { ImageSplit } from '../data/dataset.ts';
import { type JudgeRecipe, trainJudges } from '../realism/judges.ts';
import type { IndexedReference } from '../realism/nearestExample.ts';
import { nearestExample } from '../realism/nearestExample.ts';
import { sortedCopy } from '../realism/percentile.ts';
import { coordinatesOf, type RealismReference } from '../realism/realismReference.ts';
import { classSubspaces } from './classSubspaces.ts';
import { evenlySpaced, exampleOf, type ImageSample } from './imageSample.ts';
import { principalComponents, projectOnto } from './pca.ts';
import { type Prior, priorFormatVersion } from './prior.ts';
import { type SubspaceSettings, subspacePrior } from './subspacePrior.ts';

export interface PriorSettings {
  subspace: SubspaceSettings;
  /** Each class's own subspace (when the sample has labels); `examples` per class make its covariance. */
  classSubspace: SubspaceSettings & { examples: number };
  /** Components the manifold distance and the nearest-neighbour index use (≥ subspace.latent). */
  realismComponents: number;
  /** Held-out examples whose own scores make the percentiles. */
  heldOutExamples: number;
  /** Examples the covariance is estimated from (evenly spaced through the sample). */
  covarianceExamples: number;
  judges?: JudgeRecipe[];
  /** Train the judges on at most this many examples. */
  judgeExamples?: number;
}

/** Measured on Fashion-MNIST: see the README's "Priors" section and bench/src/prior.ts. */
export const defaultPriorSettings: PriorSettings = {
  subspace: { latent: 30, boundQuantile: 0.001, radiusQuantile: 0.95 },
  classSubspace: { latent: 200, boundQuantile: 0.001, radiusQuantile: 0.95, examples: 2000 },
  realismComponents: 50,
  heldOutExamples: 500,
  covarianceExamples: 20_000,
  // A third of Fashion-MNIST keeps the judges' training within the build budget on 2 cores.
  judgeExamples: 20_000,
};

export interface BuildPriorOptions {
  name: string;
  box: [number, number];
  classNames?: string[];
  settings?: Partial<PriorSettings>;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Builds a prior from a sample of real inputs and a held-out sample (never trained on, used only
 * for the percentiles and the judges' accuracy). Any source works: a built-in dataset or a team's
 * upload, once it is an ImageSample.
 */
export async function buildPrior(
  train: ImageSample,
  heldOut: ImageSample,
  options: BuildPriorOptions,
): Promise<Prior> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const settings = { ...defaultPriorSettings, ...options.settings };
  const say = (line: string) => options.onProgress?.(`prior ${options.name}: ${line}`);
  // CPU time beside wall time: on a shared machine the wall clock says little about a quiet one.
  const cpuSeconds = () => {
    const { user, system } = process.cpuUsage(cpuStarted);
    return (user + system) / 1e6;
  };
  const elapsed = () =>
    `${((performance.now() - started) / 1000).toFixed(1)} s, cpu ${cpuSeconds().toFixed(1)} s`;
  const components = Math.min(Math.max(settings.realismComponents, settings.subspace.latent), train.size);

  const pcs = principalComponents(evenlySpaced(train, settings.covarianceExamples), components);
  let explained = 0;
  for (let c = 0; c < Math.min(settings.subspace.latent, pcs.count); c++) explained += pcs.variances[c]!;
  say(`${pcs.count} principal components (${elapsed()})`);

  const coordinates = projectOnto(pcs, train.values, train.count);
  const residuals = new Float32Array(train.count);
  for (let i = 0; i < train.count; i++) {
    let total = 0;
    const row = i * train.size;
    for (let j = 0; j < train.size; j++) total += (train.values[row + j]! - pcs.mean[j]!) ** 2;
    let inPlane = 0;
    for (let c = 0; c < pcs.count; c++) inPlane += coordinates[i * pcs.count + c]! ** 2;
    residuals[i] = Math.sqrt(Math.max(0, total - inPlane));
  }
  const subspace = subspacePrior(pcs, coordinates, train.count, settings.subspace);
  const index: IndexedReference = {
    values: train.values,
    count: train.count,
    size: train.size,
    coordinates,
    components: pcs.count,
    residuals,
  };
  say(`training examples indexed (${elapsed()})`);
  const perClass = train.labels
    ? classSubspaces(train, settings.classSubspace, settings.classSubspace.examples)
    : undefined;
  if (perClass) say(`${perClass.length} class subspaces (${elapsed()})`);

  const held = evenlySpaced(heldOut, settings.heldOutExamples);
  const nearest = new Float64Array(held.count);
  const offManifold = new Float64Array(held.count);
  for (let i = 0; i < held.count; i++) {
    if (options.signal?.aborted) throw new Error('cancelled');
    const x = exampleOf(held, i);
    const at = coordinatesOf(pcs.mean, pcs.components, pcs.count, x);
    nearest[i] = nearestExample(index, x, at).distance;
    offManifold[i] = at.residual;
    if (i % 100 === 99) {
      say(`held-out nearest neighbours ${i + 1}/${held.count} (${elapsed()})`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const realism: RealismReference = {
    mean: pcs.mean,
    components: pcs.components,
    train: index,
    ...(train.labels ? { trainLabels: train.labels } : {}),
    heldOutNearest: sortedCopy(nearest),
    heldOutResidual: sortedCopy(offManifold),
  };

  // Judges train through the byte loop (pixel = byte / 255), so only samples in [0, 1] get them.
  const judges =
    train.labels && heldOut.labels && options.box[0] === 0 && options.box[1] === 1
      ? await trainJudges(
          asSplit(evenlySpaced(train, settings.judgeExamples ?? train.count)),
          asSplit(heldOut),
          train.shape,
          classCount(train.labels),
          {
            ...(settings.judges ? { recipes: settings.judges } : {}),
            onProgress: (line) => say(`${line} (${elapsed()})`),
            ...(options.signal ? { signal: options.signal } : {}),
          },
        )
      : [];
  const seconds = (performance.now() - started) / 1000;
  say(`built in ${elapsed()}`);
  return {
    name: options.name,
    shape: [...train.shape],
    box: options.box,
    ...(options.classNames ? { classNames: options.classNames } : {}),
    subspace,
    ...(perClass ? { classSubspaces: perClass } : {}),
    realism,
    judges,
    build: {
      version: priorFormatVersion,
      trainExamples: train.count,
      heldOutExamples: held.count,
      explainedVariance: explained / pcs.totalVariance,
      seconds,
      cpuSeconds: cpuSeconds(),
      date: new Date().toISOString(),
    },
  };
}

/** The sample as bytes (what the training loop reads, as byte / 255), labels required. */
function asSplit(sample: ImageSample): ImageSplit {
  const images = new Uint8Array(sample.values.length);
  for (let i = 0; i < images.length; i++) images[i] = Math.round(sample.values[i]! * 255);
  return { images, labels: sample.labels!, count: sample.count };
}

function classCount(labels: Uint8Array): number {
  let max = 0;
  for (const label of labels) max = Math.max(max, label);
  return max + 1;
}
