import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { NonFiniteError } from '../errors.ts';
import type { LayerInfo } from './analyzeModel.ts';
import { ModelImportError } from './importError.ts';
import { format } from './layerShapes.ts';

/** One stored weight array, described before it is read. */
export interface StoredWeight {
  /** Where it lives in the file, for messages. */
  location: string;
  shape: number[];
  /** `float32`, `float64`, `float16` or a description of something else. */
  dtype: string;
  read(): Float32Array;
}

export interface LayerWeights {
  layer: LayerInfo;
  /** In the order of `layer.weights`. */
  values: Float32Array[];
}

/** Builds the tfjs model from a Keras-2-form topology (weights initialised, replaced afterwards). */
export async function buildModel(topology: object, file: string): Promise<tfl.LayersModel> {
  try {
    // tfjs types the topology as its own PyJsonDict; ours is the same JSON shape.
    return await tfl.models.modelFromJSON({
      modelTopology: topology as tf.io.ModelJSON['modelTopology'],
    } as never);
  } catch (error) {
    throw new ModelImportError(file, `tfjs-layers could not build the model: ${(error as Error).message}`);
  }
}

/**
 * Checks the stored weights of every weighted layer against the shapes the config implies (count,
 * shape, dtype: all before reading a value), then reads them and rejects NaN/Inf.
 */
export function readLayerWeights(
  layers: LayerInfo[],
  lookup: (layer: LayerInfo) => StoredWeight[],
  file: string,
): LayerWeights[] {
  const found = layers.map((layer) => {
    const stored = lookup(layer);
    const where = `layer "${layer.path.join('/')}" (${layer.className})`;
    const expected = layer.weights.map((w) => `${w.kind} ${format(w.shape)}`).join(', ');
    if (stored.length !== layer.weights.length)
      throw new ModelImportError(
        file,
        `${where}: the weights file holds ${stored.length} arrays for it (${stored.map((s) => format(s.shape)).join(', ') || 'none'}); ` +
          `the config implies ${layer.weights.length} (${expected})`,
      );
    for (const [i, weight] of layer.weights.entries()) {
      const s = stored[i] as StoredWeight;
      if (format(s.shape) !== format(weight.shape))
        throw new ModelImportError(
          file,
          `${where}: weight ${weight.kind} has shape ${format(s.shape)} in the file (${s.location}); the config implies ${format(weight.shape)}`,
        );
      if (!['float16', 'float32', 'float64'].includes(s.dtype))
        throw new ModelImportError(
          file,
          `${where}: weight ${weight.kind} is stored as ${s.dtype}; expected floating point`,
        );
    }
    return { layer, stored };
  });
  return found.map(({ layer, stored }) => ({
    layer,
    values: stored.map((s, i) => {
      const values = s.read();
      let bad = 0;
      for (const v of values) if (!Number.isFinite(v)) bad++;
      if (bad > 0)
        throw new NonFiniteError(
          `${file}: layer "${layer.path.join('/')}" weight ${layer.weights[i]?.kind}`,
          bad,
        );
      return values;
    }),
  }));
}

/** Puts checked weights into the built model, matching by weight name (kernel, bias, gamma, ...). */
export function assignLayerWeights(model: tfl.LayersModel, weights: LayerWeights[], file: string): void {
  for (const { layer, values } of weights) {
    const target = findLayer(model, layer.path, file);
    const kinds = layer.weights.map((w) => w.kind);
    if (target.weights.length !== kinds.length)
      throw new ModelImportError(
        file,
        `layer "${layer.path.join('/')}": tfjs built ${target.weights.length} weights, the file has ${kinds.length}`,
      );
    const tensors = target.weights.map((variable) => {
      const kind = variable.originalName.split('/').pop() ?? '';
      const index = kinds.indexOf(kind);
      const value = values[index];
      const expected = layer.weights[index];
      if (!value || !expected)
        throw new ModelImportError(
          file,
          `layer "${layer.path.join('/')}": no stored weight for tfjs weight ${kind}`,
        );
      return tf.tensor(value, expected.shape, 'float32');
    });
    try {
      target.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }
}

function findLayer(model: tfl.LayersModel, path: string[], file: string): tfl.layers.Layer {
  let container: tfl.LayersModel = model;
  let layer: tfl.layers.Layer | undefined;
  for (const name of path) {
    try {
      layer = container.getLayer(name);
    } catch {
      throw new ModelImportError(file, `the built model has no layer "${path.join('/')}"`);
    }
    if (layer instanceof tfl.LayersModel) container = layer;
  }
  if (!layer) throw new ModelImportError(file, 'empty layer path');
  return layer;
}
