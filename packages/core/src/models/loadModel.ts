import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { NonFiniteError } from '../errors.ts';
import { fileLoadHandler } from './fileIo.ts';

/**
 * Loads a TF.js layers model from `path` (its `model.json`, or the folder holding it). Every weight
 * is checked: NaN or ±Infinity anywhere throws NonFiniteError naming the weight, so a corrupted or
 * diverged model is never silently optimised against.
 */
export async function loadModel(path: string): Promise<tfl.LayersModel> {
  const file = (await isDirectory(path)) ? join(path, 'model.json') : path;
  const model = await tfl.loadLayersModel(fileLoadHandler(file));
  for (const weight of model.weights) {
    const values = weight.read().dataSync();
    let bad = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) bad++;
    if (bad > 0) {
      tf.dispose(model.weights.map((w) => w.read()));
      throw new NonFiniteError(`model ${file}: weight ${weight.name}`, bad);
    }
  }
  return model;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
