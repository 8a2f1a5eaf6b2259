import type * as tfl from '@tensorflow/tfjs-layers';
import { importModel } from '../import/importModel.ts';
import { loadModel } from './loadModel.ts';

/**
 * What the CLI's `--model` accepts: a Keras 3 `.keras`, a Keras 2 `.h5`, or a TF.js `model.json` (or its
 * folder). Keras files go through the importer (parsed, checked, verified by a forward pass); TF.js
 * files load directly, with every weight checked for NaN/Inf.
 */
export async function openModelFile(path: string): Promise<tfl.LayersModel> {
  if (/\.(keras|h5|hdf5)$/i.test(path)) return (await importModel(path)).model;
  return loadModel(path);
}
