import type * as tfl from '@tensorflow/tfjs-layers';
import { analyzeModel, type LayerInfo, type ModelAnalysis } from './analyzeModel.ts';
import { assignLayerWeights, buildModel, readLayerWeights, type StoredWeight } from './buildModel.ts';
import { Hdf5File } from './hdf5File.ts';
import { ModelImportError } from './importError.ts';
import type { ImportLimits } from './importLimits.ts';
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
 * and `model.weights.h5`, where layer `a` nested in model `m` keeps its variables at
 * `layers/m/layers/a/vars/0, 1, ...` in creation order. Optimizer variables (`optimizer/vars`) are ignored.
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
  const topology = normalizeModelConfig(parseKerasJson(configText, `${file}: config.json`), {
    file,
    keras: true,
    warnings,
  });
  checkSupport(topology, file, false);
  const analysis = analyzeModel(topology, file, limits);

  const h5 = await Hdf5File.open(entries.get('model.weights.h5') as Uint8Array, `${file}: model.weights.h5`);
  let weights: ReturnType<typeof readLayerWeights>;
  try {
    weights = readLayerWeights(analysis.weightedLayers, (layer) => storedVars(h5, layer), file);
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

function storedVars(h5: Hdf5File, layer: LayerInfo): StoredWeight[] {
  const group = `/layers/${layer.path.join('/layers/')}/vars`;
  const keys = h5.groupKeys(group) ?? [];
  return keys
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => {
      const path = `${group}/${key}`;
      const dataset = h5.dataset(path);
      if (!dataset) throw new ModelImportError(h5.file, `${path} is not a dataset`);
      return { location: path, shape: dataset.shape, dtype: dataset.dtype, read: dataset.read };
    });
}
