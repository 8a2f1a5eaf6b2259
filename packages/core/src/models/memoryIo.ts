import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** TF.js layers JSON (as written by `fileSaveHandler`) with its weights in one buffer. */
export interface ModelBytes {
  modelJson: string;
  weights: Uint8Array;
}

/**
 * Load/save a model to bytes, for storage in a database or transfer to a worker thread. The JSON keeps
 * the same layout as `model.json` on disk (the manifest names one `weights.bin` shard).
 */
export function memoryLoadHandler({ modelJson, weights }: ModelBytes): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(modelJson) as {
        modelTopology: object;
        weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
        userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
      };
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: weights.slice().buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? null,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

/** `model` as TF.js layers bytes (what `memoryLoadHandler` loads back). */
export async function saveToBytes(model: tfl.LayersModel): Promise<ModelBytes> {
  let bytes: ModelBytes | undefined;
  await model.save(
    memorySaveHandler((saved) => {
      bytes = saved;
    }),
  );
  if (!bytes) throw new Error('the model was saved without artifacts');
  return bytes;
}

function memorySaveHandler(onSaved: (bytes: ModelBytes) => void): tf.io.IOHandler {
  return {
    async save(artifacts) {
      const data = artifacts.weightData;
      const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const weights = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let offset = 0;
      for (const part of parts) {
        weights.set(new Uint8Array(part), offset);
        offset += part.byteLength;
      }
      const modelJson = JSON.stringify({
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      });
      onSaved({ modelJson, weights });
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}
