import type { ModelSummary, Storage } from '@argmax/db';
import { ApiError, badInput, limitExceeded } from '../errors.ts';
import type { TrainedModel } from '../jobs/thread/jobMessages.ts';
import { JobFailedError, type WorkerPool } from '../jobs/workerPool.ts';

/**
 * Uploaded models are parsed and verified on a worker thread (a large Keras file must not stall the API),
 * and stored only once the import fully succeeded: a bad file leaves nothing behind.
 */
export async function importUploadedModel(
  deps: { storage: Storage; pool: WorkerPool; maxUploadBytes: number },
  request: { teamId: string; creatorId: string; name: string; files: { name: string; bytes: Uint8Array }[] },
): Promise<ModelSummary> {
  if (request.files.length === 0)
    throw badInput('files', 'attach the model file (.keras, .h5, or model.json with its shards)');
  const total = request.files.reduce((n, f) => n + f.bytes.byteLength, 0);
  if (total > deps.maxUploadBytes)
    throw limitExceeded('maxUploadBytes', `the upload has ${total} bytes; at most ${deps.maxUploadBytes}`);
  let trained: TrainedModel | undefined;
  const handle = deps.pool.submit(
    { kind: 'import', jobId: crypto.randomUUID(), files: request.files },
    {
      onEvent: () => {},
      onTrained: (model) => {
        trained = model;
      },
    },
  );
  try {
    await handle.done;
  } catch (error) {
    if (error instanceof JobFailedError && error.expected)
      throw new ApiError('BAD_USER_INPUT', error.message, { field: 'files' });
    throw error;
  }
  if (!trained) throw new Error('the import finished without a model');
  return deps.storage.models.create({
    teamId: request.teamId,
    name: request.name,
    origin: 'uploaded',
    modelJson: trained.modelJson,
    weights: trained.weights,
    inputShape: trained.inputShape,
    outputCount: trained.outputCount,
    classNames: null,
    layerSummary: trained.layerSummary as never,
    parameterCount: trained.parameterCount,
    createdBy: request.creatorId,
  });
}
