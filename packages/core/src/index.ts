/**
 * What @argmax/core offers: find the input that maximises a chosen output of a trained network
 * (optimize), bound that maximum from above (certify), and the pieces around them: loading, importing
 * and describing models, datasets and training, image encoding, and the backend to run on. Everything
 * else under src/ is implementation, free to move.
 */

export { type BackendInfo, type BackendName, backendInfo, initBackend } from './backend/initBackend.ts';
export { certificateSupport, certify, relativeGap } from './certify/certify.ts';
export type { Certificate, CertifyOptions, CertifyProgress, CertifyResult } from './certify/types.ts';
export { buildFeasibleSet, type FeasibleSet, feasibleWithin } from './constraints/feasibleSet.ts';
export {
  type DatasetName,
  datasetNames,
  type ImageDataset,
  type ImageSplit,
  imageShape,
} from './data/dataset.ts';
export { fashionMnistClassNames, loadFashionMnist } from './data/fashionMnist.ts';
export { loadDataset } from './data/loadDataset.ts';
export {
  ArgmaxError,
  CancelledError,
  InvalidArgumentError,
  NonFiniteError,
  UnsupportedError,
} from './errors.ts';
export { encodePng, pngDataUrl } from './image/encodePng.ts';
export { type ImportedModel, type ImportOptions, importModel } from './import/importModel.ts';
export { describeModel, type ModelDescription } from './models/describeModel.ts';
export { loadModel } from './models/loadModel.ts';
export { type ModelBytes, memoryLoadHandler, memorySaveHandler } from './models/memoryIo.ts';
export { buildSeedMlp } from './models/seedMlp.ts';
export { buildSmallCnn } from './models/smallCnn.ts';
export { jointInputShape } from './network/jointInputShape.ts';
export { evaluateObjective } from './optimize/evaluateObjective.ts';
export { optimize, runOptimization } from './optimize/optimize.ts';
export { methodDefaults, methodNames } from './optimize/resolveOptions.ts';
export type * from './spec/types.ts';
export { type TrainOptions, train } from './training/train.ts';
