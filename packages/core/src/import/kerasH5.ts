import { UnsupportedError } from '../errors.ts';
import { analyzeModel, type LayerInfo } from './analyzeModel.ts';
import { assignLayerWeights, buildModel, readLayerWeights, type StoredWeight } from './buildModel.ts';
import { Hdf5File } from './hdf5File.ts';
import { ModelImportError } from './importError.ts';
import type { ImportLimits } from './importLimits.ts';
import type { FormatImport } from './keras3.ts';
import { checkSupport } from './layerSupport.ts';
import { normalizeModelConfig } from './normalizeKerasConfig.ts';
import { parseKerasJson } from './parseJson.ts';

/**
 * A legacy Keras HDF5 model (`model.save('m.h5')` in Keras 2 / tf.keras, or Keras 3's legacy writer):
 * the config in the root attribute `model_config`, weights in group `model_weights`, one subgroup per
 * top-level layer whose `weight_names` attribute lists its arrays in order. Optimizer state is ignored.
 */
export async function importKerasH5(
  bytes: Uint8Array,
  file: string,
  limits: ImportLimits,
  warnings: string[],
): Promise<FormatImport> {
  const h5 = await Hdf5File.open(bytes, file);
  try {
    const version = h5.stringAttribute('/', 'keras_version');
    if (version?.startsWith('1.'))
      throw new UnsupportedError(`${file}: written by Keras ${version}; Keras 2 and 3 files are supported`);
    const configText = h5.stringAttribute('/', 'model_config');
    if (configText === undefined) {
      const weightsOnly = h5.stringListAttribute('/', 'layer_names') !== undefined;
      throw new ModelImportError(
        file,
        weightsOnly
          ? 'holds weights only (saved with save_weights), no model config; save the whole model with model.save()'
          : 'is an HDF5 file without a Keras model_config attribute; expected a model saved by Keras model.save("m.h5")',
      );
    }
    if (configText.length > limits.maxJsonBytes)
      throw new ModelImportError(
        file,
        `model_config is ${configText.length} characters; the limit is ${limits.maxJsonBytes}`,
      );
    const topology = normalizeModelConfig(parseKerasJson(configText, file), { file, keras: true, warnings });
    checkSupport(topology, file, false);
    const analysis = analyzeModel(topology, file, limits);
    const root = h5.groupKeys('/model_weights') ? '/model_weights' : '/';
    checkLayerOrder(h5, root, analysis.layers, file);
    const weights = readLayerWeights(
      analysis.weightedLayers,
      (layer) => storedWeights(h5, root, layer),
      file,
    );
    const model = await buildModel(topology, file);
    try {
      assignLayerWeights(model, weights, file);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return { model, analysis };
  } finally {
    h5.close();
  }
}

/**
 * Top-level layers: all arrays of the layer's group, in `weight_names` order. Layers inside nested
 * models share their model's group, which lists trainable arrays before non-trainable ones, so they are
 * matched by name: `.../<layer>/<kind>:0`.
 */
function storedWeights(h5: Hdf5File, root: string, layer: LayerInfo): StoredWeight[] {
  const top = layer.path[0] as string;
  const group = `${root === '/' ? '' : root}/${top}`;
  const names = h5.stringListAttribute(group, 'weight_names') ?? [];
  const describe = (name: string): StoredWeight => {
    const path = `${group}/${name}`;
    const dataset = h5.dataset(path);
    if (!dataset)
      throw new ModelImportError(h5.file, `weight_names of ${group} lists ${name}, which is not in the file`);
    return { location: path, shape: dataset.shape, dtype: dataset.dtype, read: dataset.read };
  };
  if (layer.path.length === 1) return names.map(describe);
  const parts = names.map((name) => name.replace(/:\d+$/, '').split('/'));
  return layer.weights.flatMap(({ kind }) => {
    const index = parts.findIndex((p) => p[p.length - 1] === kind && p[p.length - 2] === layer.name);
    return index < 0 ? [] : [describe(names[index] as string)];
  });
}

/**
 * Keras's own h5 loader (load_weights_from_hdf5_group) pairs layers by position: the k-th group listed
 * in `layer_names` that has weights goes to the k-th layer of model.layers that has weights. Keras
 * writes `layer_names` and the config from the same model.layers, so reading by name pairs the same
 * way; a file where the two orders differ is refused rather than read either way.
 */
function checkLayerOrder(h5: Hdf5File, root: string, layers: LayerInfo[], file: string): void {
  const listed = h5.stringListAttribute(root, 'layer_names');
  if (listed === undefined) return;
  const prefix = root === '/' ? '' : root;
  const stored = listed.filter(
    (name) => (h5.stringListAttribute(`${prefix}/${name}`, 'weight_names') ?? []).length > 0,
  );
  const hasWeights = (layer: LayerInfo): boolean =>
    layer.weights.length > 0 || (layer.layers ?? []).some(hasWeights);
  const expected = layers.filter(hasWeights).map((layer) => layer.name);
  if (stored.join('\n') !== expected.join('\n'))
    throw new ModelImportError(
      file,
      `its weights are stored for layers [${stored.join(', ')}], but the model config's layers with weights are [${expected.join(', ')}]; the weights do not belong to this config`,
    );
}
