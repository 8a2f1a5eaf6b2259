import { existsSync } from 'node:fs';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileLoadHandler } from '../models/fileIo.ts';

/**
 * The Fashion-MNIST MLPs the engine's tests run on: the external fixture (always) and the project's
 * trained seed model (once its weights are committed). Test helper, not used by the library.
 */
export const testModelPaths: { name: string; path: string }[] = [
  {
    name: 'external fixture',
    path: new URL('../../fixtures/models/tfjs-fashion-mnist-mlp/model.json', import.meta.url).pathname,
  },
  {
    name: 'seed model',
    path: new URL('../../models/fashion-mnist-mlp/model.json', import.meta.url).pathname,
  },
].filter(({ path }) => existsSync(path));

export function loadTestModel(path: string): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(fileLoadHandler(path));
}
