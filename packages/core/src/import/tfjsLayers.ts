import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError, UnsupportedError } from '../errors.ts';
import { analyzeModel, type ModelAnalysis } from './analyzeModel.ts';
import { buildModel } from './buildModel.ts';
import { ModelImportError } from './importError.ts';
import { formatBytes, type ImportLimits } from './importLimits.ts';
import type { FormatImport } from './keras3.ts';
import { isObject } from './kerasTopology.ts';
import { format, product } from './layerShapes.ts';
import { checkSupport } from './layerSupport.ts';
import { normalizeModelConfig } from './normalizeKerasConfig.ts';
import type { SiblingFiles } from './siblingFiles.ts';

interface WeightGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

type ValueDtype = 'float32' | 'int32' | 'bool';
type QuantizedDtype = NonNullable<tf.io.WeightsManifestEntry['quantization']>['dtype'];

/** Bytes per stored value: the weight's own dtype, or its quantised one. */
const VALUE_BYTES: Partial<Record<tf.io.WeightsManifestEntry['dtype'] | QuantizedDtype, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

const isValueDtype = (value: unknown): value is ValueDtype =>
  value === 'float32' || value === 'int32' || value === 'bool';
const isQuantizedDtype = (value: unknown): value is QuantizedDtype =>
  value === 'uint8' || value === 'uint16' || value === 'float16';
const isShape = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((d) => Number.isSafeInteger(d) && d >= 0);

/**
 * A TF.js layers model: `model.json` (topology + weights manifest) and its weight shards. Accepts the
 * older converter output too (no `format` field, Keras 2 topology, shard names without `.bin`,
 * paths with a leading `./`) and uint8/uint16/float16-quantised weights (decoded by tfjs).
 */
export async function importTfjsLayers(
  json: unknown,
  file: string,
  siblings: SiblingFiles,
  limits: ImportLimits,
  warnings: string[],
): Promise<FormatImport> {
  if (!isObject(json) || !isObject(json.modelTopology))
    throw new ModelImportError(file, 'has no modelTopology; expected a TF.js layers model.json');
  if (json.format === 'graph-model' || Array.isArray(json.modelTopology.node))
    throw new UnsupportedError(
      `${file}: is a TF.js graph model (a converted SavedModel); only layers models (tf.keras / tfjs-layers) can be imported`,
    );
  const topology = normalizeModelConfig(json.modelTopology, { file, keras: false, warnings });
  checkSupport(topology, file, true);
  const analysis = analyzeModel(topology, file, limits);
  const groups = parseManifest(json.weightsManifest, file);
  checkManifestAgainstConfig(groups, analysis, file);
  const data = await readShards(groups, file, siblings, limits);

  const specs = groups.flatMap((g) => g.weights);
  let decoded: tf.NamedTensorMap;
  try {
    decoded = tf.io.decodeWeights(data, specs);
  } catch (error) {
    throw new ModelImportError(file, `weights could not be decoded (${(error as Error).message})`);
  }
  try {
    const modelWeights: tf.NamedTensorMap = {};
    for (const spec of specs) {
      if (spec.group === 'optimizer') continue;
      const tensor = decoded[spec.name] as tf.Tensor;
      let bad = 0;
      for (const v of tensor.dataSync()) if (!Number.isFinite(v)) bad++;
      if (bad > 0) throw new NonFiniteError(`${file}: weight ${spec.name}`, bad);
      modelWeights[spec.name] = tensor;
    }
    const model = await buildModel(topology, file);
    try {
      model.loadWeights(modelWeights, true);
    } catch (error) {
      model.dispose();
      throw new ModelImportError(file, `the weights do not fit the model: ${(error as Error).message}`);
    }
    return { model, analysis };
  } finally {
    tf.dispose(decoded);
  }
}

function parseManifest(raw: unknown, file: string): WeightGroup[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new ModelImportError(file, 'weightsManifest is not a list of {paths, weights}');
  return raw.map((group, g) => {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw new ModelImportError(file, `weightsManifest[${g}] is not {paths: [...], weights: [...]}`);
    const paths = group.paths.map((p) => shardPath(p, file));
    const weights = group.weights.map((spec, i) => {
      const where = `weightsManifest[${g}].weights[${i}]`;
      if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape))
        throw new ModelImportError(file, `${where} is not {name, shape, dtype}`);
      const { name, shape, dtype, group, quantization } = spec;
      if (!isShape(shape))
        throw new ModelImportError(file, `${where} (${name}) has shape ${JSON.stringify(shape)}`);
      const stored = isObject(quantization) ? quantization.dtype : dtype;
      if (isObject(quantization) ? !isQuantizedDtype(stored) : !isValueDtype(stored))
        throw new ModelImportError(
          file,
          `${where} (${name}) is stored as ${JSON.stringify(stored)}; accepted: float32, int32, and uint8/uint16/float16 quantisation`,
        );
      // A quantised weight still names the dtype it decodes to (float32 as the converter writes it).
      if (!isValueDtype(dtype))
        throw new ModelImportError(
          file,
          `${where} (${name}) decodes to ${JSON.stringify(dtype)}; accepted: float32, int32, bool`,
        );
      const entry: tf.io.WeightsManifestEntry = { name, shape, dtype };
      if (group === 'model' || group === 'optimizer') entry.group = group;
      if (isObject(quantization) && isQuantizedDtype(quantization.dtype)) {
        const { scale, min } = quantization;
        entry.quantization = {
          dtype: quantization.dtype,
          ...(typeof scale === 'number' ? { scale } : {}),
          ...(typeof min === 'number' ? { min } : {}),
        };
      }
      return entry;
    });
    return { paths, weights };
  });
}

/** Manifest paths are relative to model.json; `./` prefixes are common, anything leaving the folder is refused. */
function shardPath(raw: unknown, file: string): string {
  if (typeof raw !== 'string' || raw === '')
    throw new ModelImportError(file, 'a weight shard path is not a name');
  const path = raw.replace(/^(\.\/)+/, '');
  if (path.startsWith('/') || /^[a-z]+:/i.test(path) || path.split(/[\\/]/).includes('..'))
    throw new ModelImportError(
      file,
      `weight shard path ${JSON.stringify(raw)} points outside the model's folder`,
    );
  return path;
}

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  return product(spec.shape) * (VALUE_BYTES[spec.quantization?.dtype ?? spec.dtype] ?? 4);
}

function checkManifestAgainstConfig(groups: WeightGroup[], analysis: ModelAnalysis, file: string): void {
  const specs = groups.flatMap((g) => g.weights).filter((s) => s.group !== 'optimizer');
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const layer of analysis.weightedLayers)
    for (const weight of layer.weights) {
      const spec =
        byName.get(`${layer.path.join('/')}/${weight.kind}`) ?? byName.get(`${layer.name}/${weight.kind}`);
      if (spec && format(spec.shape) !== format(weight.shape))
        throw new ModelImportError(
          file,
          `layer "${layer.path.join('/')}" (${layer.className}): weight ${weight.kind} has shape ${format(spec.shape)} ` +
            `in the weights manifest; the config implies ${format(weight.shape)}`,
        );
    }
  const listed = specs.reduce((sum, s) => sum + product(s.shape), 0);
  if (listed !== analysis.parameterCount)
    throw new ModelImportError(
      file,
      `the weights manifest lists ${listed.toLocaleString('en-US')} weight values; ` +
        `the model config implies ${analysis.parameterCount.toLocaleString('en-US')}`,
    );
}

/** Sizes of all shards are checked against the manifest before any shard is read. */
async function readShards(
  groups: WeightGroup[],
  file: string,
  siblings: SiblingFiles,
  limits: ImportLimits,
): Promise<ArrayBuffer> {
  let total = 0;
  for (const [g, group] of groups.entries()) {
    let bytes = 0;
    for (const path of group.paths) {
      const size = await siblings.size(path);
      if (size === undefined)
        throw new ModelImportError(file, `weight shard "${path}" listed in its weightsManifest is missing`);
      if (size > limits.maxFileBytes)
        throw new ModelImportError(
          file,
          `weight shard "${path}" is ${formatBytes(size)}; the limit is ${formatBytes(limits.maxFileBytes)}`,
        );
      bytes += size;
    }
    const needed = group.weights.reduce((sum, spec) => sum + specBytes(spec), 0);
    if (bytes !== needed)
      throw new ModelImportError(
        file,
        `weight shards ${group.paths.map((p) => `"${p}"`).join(', ')} hold ${bytes} bytes; ` +
          `weightsManifest[${g}] needs ${needed} bytes (a shard is truncated or from another model)`,
      );
    total += bytes;
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const group of groups)
    for (const path of group.paths) {
      const shard = await siblings.read(path);
      if (offset + shard.length > total)
        throw new ModelImportError(file, `weight shard "${path}" changed size while it was read`);
      data.set(shard, offset);
      offset += shard.length;
    }
  return data.buffer;
}
