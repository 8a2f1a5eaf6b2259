import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { ArgmaxError } from '../errors.ts';

/**
 * TF.js layers-format save/load on the local file system without tfjs-node (whose `file://` handler
 * needs libtensorflow). Writes `model.json` + one `weights.bin` shard, like tfjs-node does.
 */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData;
      const buffers = weightData === undefined ? [] : Array.isArray(weightData) ? weightData : [weightData];
      const bytes = Buffer.concat(buffers.map((b) => Buffer.from(b)));
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(join(dir, 'weights.bin'), bytes);
      await writeFile(join(dir, 'model.json'), `${JSON.stringify(modelJson)}\n`);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: bytes.byteLength,
        },
      };
    },
  };
}

/** Loads `model.json` and its weight shards (paths relative to the JSON file). */
export function fileLoadHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const path = resolve(modelJsonPath);
      let json: {
        modelTopology?: object;
        weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
        trainingConfig?: tf.io.TrainingConfig;
        userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
      };
      try {
        json = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new ArgmaxError(`model ${basename(path)}: cannot read ${path}: ${(error as Error).message}`);
      }
      if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object')
        throw new ArgmaxError(
          `model ${basename(path)}: ${path} is not a TF.js layers model (no modelTopology)`,
        );
      const specs: tf.io.WeightsManifestEntry[] = [];
      const shards: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const shard of group.paths) {
          try {
            shards.push(await readFile(join(dirname(path), shard)));
          } catch {
            throw new ArgmaxError(`model ${basename(path)}: weight shard ${shard} is missing next to it`);
          }
        }
      }
      const all = Buffer.concat(shards);
      const expected = expectedWeightBytes(specs);
      if (expected !== undefined && expected !== all.byteLength)
        throw new ArgmaxError(
          `model ${basename(path)}: the weight shards hold ${all.byteLength} bytes; the manifest needs ${expected}`,
        );
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? null,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

const bytesPerElement: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Bytes the manifest's weights take, or undefined when quantised or of a dtype not checked here. */
function expectedWeightBytes(specs: tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const size = bytesPerElement[spec.dtype];
    if (spec.quantization || size === undefined) return undefined;
    total += spec.shape.reduce((a, b) => a * b, 1) * size;
  }
  return total;
}
