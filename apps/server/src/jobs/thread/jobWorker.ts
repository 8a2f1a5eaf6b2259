/**
 * Worker-thread entry: runs one job at a time (optimisation or training) with tfjs and streams its
 * events to the pool. Nothing here touches the database or GraphQL: the main thread owns those.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import {
  ArgmaxError,
  initBackend,
  memoryLoadHandler,
  type OptimizationResult,
  optimize,
  resultFrontier,
} from '@argmax/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { certificateTask } from './certifyJob.ts';
import { runImportJob } from './importJob.ts';
import type { FromWorker, Job, ModelPayload, OptimizeJob, ToWorker } from './jobMessages.ts';
import { PUBLISH_INTERVAL_MS } from './liveFrameRate.ts';
import { runPriorJob, storedPrior } from './priorJob.ts';
import { priorSearchEvents, priorSearchMessage } from './priorSearchJob.ts';
import { realismMessage } from './realismJob.ts';
import { snapshotSchedule } from './snapshotSchedule.ts';
import { runTrainJob } from './trainJob.ts';

if (!parentPort) throw new Error('jobWorker.ts must run in a worker thread');
const port = parentPort;
const send = (message: FromWorker) => port.postMessage(message);

// Jobs are CPU-bound for seconds to hours; requests and live subscribers need the CPU for a moment at a
// time. On Linux a thread has its own nice value (pid 0 = the calling thread, inherited by the solver
// threads it starts), so this thread yields to the event loop whenever both want a core. Elsewhere the
// call would lower the whole process: there, leave it.
const nice = (workerData as { nice?: number } | null)?.nice ?? 0;
if (process.platform === 'linux' && nice > 0) {
  try {
    setPriority(0, nice);
  } catch {
    // not permitted here: run at normal priority
  }
}

const backend = await initBackend(undefined, () => {});
send({ type: 'ready', backend: backend.name });

// Models stay loaded between jobs: the seed model is used by most runs.
const models = new Map<string, Promise<LayersModel>>();
const controllers = new Map<string, AbortController>();

function loadModel(payload: ModelPayload): Promise<LayersModel> {
  let model = models.get(payload.cacheKey);
  if (!model) {
    model = loadLayersModel(memoryLoadHandler(payload));
    models.set(payload.cacheKey, model);
    model.catch(() => models.delete(payload.cacheKey));
    if (models.size > 8) {
      const [oldest] = models.keys();
      const evicted = models.get(oldest!)!;
      models.delete(oldest!);
      void evicted.then((m) => m.dispose()).catch(() => {});
    }
  }
  return model;
}

async function runOptimizeJob(job: OptimizeJob, signal: AbortSignal): Promise<void> {
  const model = await loadModel(job.model);
  const stored = snapshotSchedule(job.snapshots);
  let lastFrameAt = 0;
  // Inputs travel with the stored snapshots and, for live viewers, at most ~30 times a second.
  const snapshot = (step: number, steps: number) => {
    const now = Date.now();
    if (!stored(step, steps) && now - lastFrameAt < PUBLISH_INTERVAL_MS) return false;
    lastFrameAt = now;
    return true;
  };
  const prior = job.prior ? await storedPrior(job.prior.location) : undefined;
  if (job.prior?.search && !prior) throw new Error(`the ${job.prior.location.dataset} prior is not stored`);
  // A run in a prior is certified over the set it searched, not over the box.
  const certificate = certificateTask(
    model,
    job,
    (event) => send({ type: 'event', jobId: job.jobId, event }),
    job.prior?.search && prior ? { prior, box: job.prior.box } : undefined,
  );
  // Core's one-line notes (the time budget's choice, a fall-back to cpu) would reach the server's stderr for
  // every run; the budget's choice is stored on the run (`Run.budget`), so the thread drops them, as it does
  // initBackend's.
  const options = { ...job.options, signal, snapshot, log: () => {} };
  const search = job.prior?.search && prior ? job.prior : undefined;
  const events =
    search && prior ? priorSearchEvents(model, options, prior, search) : optimize(model, options);
  let result: OptimizationResult | undefined;
  for await (const event of events) {
    // Copied, not transferred: the core may still hold the array (the best input of the last step).
    send({ type: 'event', jobId: job.jobId, event });
    if (event.type === 'done') result = event.result;
  }
  if (!result) return;
  const certified = await certificate.after(result, signal);
  if (job.prior && prior) {
    // The run keeps the certifier's input when it beat the optimiser's (never in a prior: that certifier
    // bounds a superset of the searched set): that is the answer measured.
    const answer = certified?.status === 'DONE' && certified.better ? certified.better.input : result.input;
    // An accentuation's ray would run from the class mean, not from its anchor: it has no frontier.
    const frontier =
      search && !search.accentuate
        ? await resultFrontier(model, job.options.objective, prior, result, job.prior.box)
        : null;
    const event = realismMessage(prior, job.prior.location.dataset, answer, job.options.objective, frontier);
    send({ type: 'event', jobId: job.jobId, event });
    const found = search ? await priorSearchMessage(model, options, prior, search, result) : null;
    if (found) send({ type: 'event', jobId: job.jobId, event: found });
  }
}

async function run(job: Job): Promise<void> {
  const controller = new AbortController();
  controllers.set(job.jobId, controller);
  try {
    if (job.kind === 'optimize') await runOptimizeJob(job, controller.signal);
    else if (job.kind === 'train') await runTrainJob(job, controller.signal, send);
    else if (job.kind === 'prior') await runPriorJob(job, controller.signal, send);
    else await runImportJob(job, send);
    send({ type: 'finished', jobId: job.jobId });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    send({
      type: 'failed',
      jobId: job.jobId,
      name: e.name,
      message: e.message,
      expected: e instanceof ArgmaxError,
    });
  } finally {
    controllers.delete(job.jobId);
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') void run(message.job);
  else controllers.get(message.jobId)?.abort();
});
