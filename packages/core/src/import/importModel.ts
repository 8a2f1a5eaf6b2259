import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend/initBackend.ts';
import type { LayerInfo, TensorInfo } from './analyzeModel.ts';
import { type ImportLimits, resolveLimits } from './importLimits.ts';
import { type FormatImport, importKeras3 } from './keras3.ts';
import { importKerasH5 } from './kerasH5.ts';
import { type ModelFormat, type ModelSource, resolveSource } from './modelSource.ts';
import { parseJson } from './parseJson.ts';
import { importTfjsLayers } from './tfjsLayers.ts';
import { type ModelCheck, verifyModel } from './verifyModel.ts';

export interface ImportOptions {
  limits?: Partial<ImportLimits>;
}

export interface ImportedModel {
  /** The tfjs model; the caller owns it (`model.dispose()`). */
  model: tfl.LayersModel;
  format: ModelFormat;
  /** The model file's name as the user gave it. */
  file: string;
  /** Model inputs in order, shapes without the batch dimension (a 28×28 MLP has [28, 28]). */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Top-level layers with output shapes and parameter counts; nested models list their layers. */
  layers: LayerInfo[];
  parameterCount: number;
  /** Things the user should know that did not stop the import (e.g. mixed precision computed in float32). */
  warnings: string[];
  /** The forward pass on a deterministic input that verified the import. */
  check: ModelCheck;
  seconds: number;
}

/**
 * Imports a model saved by Keras 3 (`.keras`), Keras 2 / tf.keras (`.h5`) or TF.js (`model.json` +
 * shards), telling the format from the content. Every size is checked before it is allocated, every
 * layer is checked against what argmax supports, config and weights must agree, and the result is
 * verified by a forward pass with finite outputs. Throws ModelImportError, UnsupportedError or
 * NonFiniteError with a message that names the file, the layer and what was expected.
 */
export async function importModel(source: ModelSource, options: ImportOptions = {}): Promise<ImportedModel> {
  const started = performance.now();
  await initBackend();
  const limits = resolveLimits(options.limits);
  const { format, file, bytes, siblings } = await resolveSource(source, limits);
  const warnings: string[] = [];
  let imported: FormatImport;
  if (format === 'keras3') imported = await importKeras3(bytes, file, limits, warnings);
  else if (format === 'keras-h5') imported = await importKerasH5(bytes, file, limits, warnings);
  else
    imported = await importTfjsLayers(
      parseJson(bytes, file, limits.maxJsonBytes),
      file,
      siblings,
      limits,
      warnings,
    );
  const { model, analysis } = imported;
  try {
    const check = verifyModel(model, analysis.inputs, analysis.outputs, file);
    const built = model.countParams();
    if (built !== analysis.parameterCount)
      warnings.push(`tfjs counts ${built} parameters, the config analysis ${analysis.parameterCount}`);
    return {
      model,
      format,
      file,
      inputs: analysis.inputs,
      outputs: analysis.outputs,
      layers: analysis.layers,
      parameterCount: analysis.parameterCount,
      warnings,
      check,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
