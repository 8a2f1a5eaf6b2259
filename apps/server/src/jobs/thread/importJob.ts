import { importModel, jointInputShape, saveToBytes } from '@argmax/core';
import type { FromWorker, ImportJob } from './jobMessages.ts';

/** Worker side of an upload: parse and verify with the core importer, hand back TF.js layers bytes. */
export async function runImportJob(job: ImportJob, send: (message: FromWorker) => void): Promise<void> {
  const imported = await importModel({ files: new Map(job.files.map((f) => [f.name, f.bytes])) });
  try {
    const bytes = await saveToBytes(imported.model);
    // Stored as the shape runs optimise over, so references and masks are checked against every value.
    const input = jointInputShape(imported.inputs.map((t) => t.shape));
    const output = imported.outputs[0]?.shape ?? [];
    send({
      type: 'trained',
      jobId: job.jobId,
      model: {
        modelJson: bytes.modelJson,
        weights: bytes.weights,
        inputShape: input,
        outputCount: output.at(-1) ?? 1,
        classNames: [],
        layerSummary: {
          format: imported.format,
          file: imported.file,
          warnings: imported.warnings,
          layers: imported.layers,
          inputs: imported.inputs,
        },
        parameterCount: imported.parameterCount,
      },
    });
  } finally {
    imported.model.dispose();
  }
}
