import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { assertFinite } from '../errors.ts';
import { fileSaveHandler } from './fileIo.ts';

/**
 * Saves `model` in TF.js layers format as `dir/model.json` + `dir/weights.bin`, with `metadata` in
 * the JSON's `userDefinedMetadata`. Refuses non-finite weights (NonFiniteError). The files are
 * written to a temporary sibling folder first and moved into `dir` only when complete, so a failed
 * save leaves `dir` as it was. Other files in `dir` are kept.
 */
export async function saveModel(
  model: tfl.LayersModel,
  dir: string,
  metadata?: Record<string, unknown>,
): Promise<void> {
  for (const weight of model.weights) assertFinite(weight.read().dataSync(), `model weight ${weight.name}`);
  const target = resolve(dir);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    if (metadata)
      model.setUserDefinedMetadata(metadata as NonNullable<tf.io.ModelArtifacts['userDefinedMetadata']>);
    await model.save(fileSaveHandler(temp));
    await mkdir(target, { recursive: true });
    // Weights first: model.json is what readers open, and it should never name missing weights.
    await rename(join(temp, 'weights.bin'), join(target, 'weights.bin'));
    await rename(join(temp, 'model.json'), join(target, 'model.json'));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
