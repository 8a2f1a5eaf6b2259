import type { DatasetName, ImageDataset, LoadOptions } from './dataset.ts';
import { loadFashionMnist } from './fashionMnist.ts';
import { loadMnist } from './mnist.ts';

/** Loads a dataset by name (both splits). */
export function loadDataset(name: DatasetName, options: LoadOptions = {}): Promise<ImageDataset> {
  return name === 'mnist' ? loadMnist(options) : loadFashionMnist(options);
}
