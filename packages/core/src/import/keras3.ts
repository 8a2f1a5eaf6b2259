import type * as tfl from '@tensorflow/tfjs-layers';
import { analyzeModel, type LayerInfo, type ModelAnalysis } from './analyzeModel.ts';
import { assignLayerWeights, buildModel, readLayerWeights, type StoredWeight } from './buildModel.ts';
import { Hdf5File } from './hdf5File.ts';
import { ModelImportError } from './importError.ts';
import type { ImportLimits } from './importLimits.ts';
import { keras3WeightPaths, layerKey } from './keras3WeightPaths.ts';
import { isObject } from './kerasTopology.ts';
import { checkSupport } from './layerSupport.ts';
import { normalizeModelConfig } from './normalizeKerasConfig.ts';
import { parseJson, parseKerasJson } from './parseJson.ts';
import { readZipEntries } from './zipArchive.ts';

export interface FormatImport {
  model: tfl.LayersModel;
  analysis: ModelAnalysis;
}

/**
 * A Keras 3 `.keras` file: a zip of `config.json` (the model config), `metadata.json` (Keras version)
 * and `model.weights.h5`, which keeps each layer's variables at a path made from the layer classes
 * (`layers/dense_1/vars/0, 1, ...`; see keras3WeightPaths.ts). Optimizer variables are ignored.
 */
export async function importKeras3(
  bytes: Uint8Array,
  file: string,
  limits: ImportLimits,
  warnings: string[],
): Promise<FormatImport> {
  const entries = readZipEntries(bytes, file, [
    { name: 'config.json', maxBytes: limits.maxJsonBytes, required: true },
    { name: 'metadata.json', maxBytes: limits.maxJsonBytes, required: false },
    { name: 'model.weights.h5', maxBytes: limits.maxZipEntryBytes, required: true },
  ]);
  const metadataBytes = entries.get('metadata.json');
  if (metadataBytes) {
    const metadata = parseJson(metadataBytes, `${file}: metadata.json`, limits.maxJsonBytes);
    const version = isObject(metadata) ? metadata.keras_version : undefined;
    if (typeof version === 'string' && !version.startsWith('3.'))
      warnings.push(`${file} says it was written by Keras ${version}; read as a Keras 3 file`);
  }
  const configText = new TextDecoder().decode(entries.get('config.json'));
  const config = parseKerasJson(configText, `${file}: config.json`);
  const paths = keras3WeightPaths(config, file);
  const topology = normalizeModelConfig(config, { file, keras: true, warnings });
  checkSupport(topology, file, false);
  const analysis = analyzeModel(topology, file, limits);

  const h5 = await Hdf5File.open(entries.get('model.weights.h5') as Uint8Array, `${file}: model.weights.h5`);
  let weights: ReturnType<typeof readLayerWeights>;
  try {
    weights = readLayerWeights(analysis.weightedLayers, (layer) => storedVars(h5, paths, layer), file);
  } finally {
    h5.close();
  }
  const model = await buildModel(topology, file);
  try {
    assignLayerWeights(model, weights, file);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, analysis };
}

/**
 * The arrays of `vars` under the layer's path, as H5IOStore.get finds them: at the path itself or, in
 * files written by tf.keras 2.13-2.15, with `layers` replaced by `_layer_checkpoint_dependencies`.
 * Keras 3.6+ labels the group with the layer's name: a different name means the file's layout is not
 * the one its config implies, and the file is refused rather than read from the wrong layer.
 */
function storedVars(h5: Hdf5File, paths: Map<string, string>, layer: LayerInfo): StoredWeight[] {
  const where = `layer "${layer.path.join('/')}" (${layer.className})`;
  const path = paths.get(layerKey(layer.path));
  if (path === undefined)
    throw new ModelImportError(h5.file, `${where} is not among the layers Keras would load weights for`);
  let group = `/${path}/vars`;
  if (!h5.groupKeys(group) && h5.groupKeys('/_layer_checkpoint_dependencies'))
    group = `/${path.replaceAll('layers', '_layer_checkpoint_dependencies')}/vars`;
  const keys = h5.groupKeys(group) ?? [];
  const label = h5.stringAttribute(group, 'name');
  if (label !== undefined && label !== layer.name)
    throw new ModelImportError(
      h5.file,
      `${where}: its weights belong at ${group}, which the file labels as layer "${label}"; the weights file does not match config.json`,
    );
  return keys
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => {
      const at = `${group}/${key}`;
      const dataset = h5.dataset(at);
      if (!/^\d+$/.test(key) || !dataset)
        throw new ModelImportError(
          h5.file,
          `${at} is not a numbered weight array (Keras writes vars/0, vars/1, ...)`,
        );
      return { location: at, shape: dataset.shape, dtype: dataset.dtype, read: dataset.read };
    });
}
