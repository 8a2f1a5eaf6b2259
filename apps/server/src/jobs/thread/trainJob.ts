import { buildSeedMlp, buildSmallCnn, describeModel, loadDataset, saveToBytes, train } from '@argmax/core';
import type { FromWorker, TrainJob } from './jobMessages.ts';

/** Worker side of a training job: load the data (with progress), build, train, serialise. */
export async function runTrainJob(
  job: TrainJob,
  signal: AbortSignal,
  send: (message: FromWorker) => void,
): Promise<void> {
  const event = (e: { type: string; [key: string]: unknown }) =>
    send({ type: 'event', jobId: job.jobId, event: e as Extract<FromWorker, { type: 'event' }>['event'] });
  const data = await loadDataset(job.dataset, {
    signal,
    onProgress: (p) =>
      event({ type: 'start', phase: 'loading', filesDone: p.filesDone, filesTotal: p.filesTotal }),
  });
  const model = job.arch === 'cnn' ? buildSmallCnn({ seed: job.seed }) : buildSeedMlp({ seed: job.seed });
  try {
    for await (const e of train(model, data.train, {
      epochs: job.epochs,
      seed: job.seed,
      test: data.test,
      signal,
      log: () => {},
      ...(job.batchesPerEpoch ? { batchesPerEpoch: job.batchesPerEpoch } : {}),
    })) {
      event({ ...e });
    }
    const bytes = await saveToBytes(model);
    const description = describeModel(model);
    send({
      type: 'trained',
      jobId: job.jobId,
      model: {
        modelJson: bytes.modelJson,
        weights: bytes.weights,
        inputShape: description.inputShape.map((d) => d ?? 1),
        outputCount: description.outputCount,
        classNames: [...data.classNames],
        layerSummary: description.layers,
        parameterCount: description.parameterCount,
      },
    });
  } finally {
    model.dispose();
  }
}
