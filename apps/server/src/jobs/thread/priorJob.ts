/**
 * Priors in the worker thread: built once from the dataset (a `prior` job, reporting its progress), loaded
 * once per thread for the runs that search in them or measure their answer against them.
 */
import { datasetPrior, judgeRecipes, loadPrior, type Prior, smallPriorOptions } from '@argmax/core';
import type { FromWorker, PriorJob } from './jobMessages.ts';
import { type PriorLocation, priorFolder, priorName } from './priorLocation.ts';

export async function runPriorJob(
  job: PriorJob,
  signal: AbortSignal,
  send: (message: FromWorker) => void,
): Promise<void> {
  const progress = buildProgress(job.location);
  const { prior } = await datasetPrior(job.location.dataset, {
    cacheDir: job.location.dir,
    ...(job.location.sample === 'small' ? { ...smallPriorOptions, cacheName: priorName(job.location) } : {}),
    signal,
    onProgress: (line) =>
      send({ type: 'event', jobId: job.jobId, event: { type: 'prior-progress', ...progress(line) } }),
  });
  loaded.set(priorFolder(job.location), Promise.resolve(prior));
}

const loaded = new Map<string, Promise<Prior | undefined>>();

/** The stored prior, loaded once per thread; undefined while it is not built. */
export function storedPrior(location: PriorLocation): Promise<Prior | undefined> {
  const folder = priorFolder(location);
  let prior = loaded.get(folder);
  if (!prior) {
    prior = loadPrior(folder);
    loaded.set(folder, prior);
    // Not built yet (or unreadable): look again next time.
    void prior.then(
      (p) => p || loaded.delete(folder),
      () => loaded.delete(folder),
    );
  }
  return prior;
}

/**
 * The build's progress as a fraction, from its stage lines: data to 5 %, the components to 20 %, the class
 * subspaces (ten eigendecompositions) to 55 %, held-out neighbours to 65 %, then the judges' epochs to 98 %.
 */
function buildProgress(location: PriorLocation): (line: string) => { fraction: number; message: string } {
  const recipes = location.sample === 'small' ? smallPriorOptions.settings.judges : judgeRecipes;
  const totalEpochs = recipes.reduce((sum, r) => sum + r.epochs, 0);
  const epochsDone = new Set<string>();
  let fraction = 0;
  return (line) => {
    const message = line.replace(/^prior [^:]+: /, '');
    const part = (m: RegExpMatchArray | null) => (m ? Number(m[1]) / Number(m[2]) : 0);
    let at: number | undefined;
    if (/loading data/.test(line)) at = 0.05 * part(line.match(/(\d+)\/(\d+)/));
    else if (/principal components/.test(line)) at = 0.15;
    else if (/examples indexed/.test(line)) at = 0.2;
    else if (/class subspaces/.test(line)) at = 0.55;
    else if (/held-out nearest/.test(line)) at = 0.55 + 0.1 * part(line.match(/(\d+)\/(\d+)/));
    else if (/judge \S+: epoch/.test(line)) {
      epochsDone.add(
        line
          .match(/judge (\S+): epoch (\d+)/)!
          .slice(1)
          .join('/'),
      );
      at = 0.65 + (0.33 * epochsDone.size) / Math.max(1, totalEpochs);
    } else if (/built in/.test(line)) at = 0.99;
    else if (/saved to/.test(line)) at = 1;
    if (at !== undefined) fraction = Math.max(fraction, Math.min(1, at));
    return { fraction, message };
  };
}
