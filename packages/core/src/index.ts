/**
 * What @argmax/core offers: find the input that maximises a chosen output of a trained network
 * (optimize), bound that maximum from above (certify), and the pieces around them: loading, importing
 * and describing models, datasets and training, image encoding, and the backend to run on. Everything
 * else under src/ is implementation, free to move.
 */

export { type BackendInfo, type BackendName, backendInfo, initBackend } from './backend/initBackend.ts';
// The certifier's and the polish's parts, for the benchmarks that measure them one at a time (bench/).
// They change with those two; nothing else should build on them.
export { compileCertifiedObjective } from './certify/certifiedObjective.ts';
export { certificateSupport, certify, certifyGraph, relativeGap } from './certify/certify.ts';
export { type CertifyRegion, certifyRegion } from './certify/region.ts';
export type { Certificate, CertifyOptions, CertifyProgress, CertifyResult } from './certify/types.ts';
export { type FlagSpec, type ParsedArgs, parseArgs } from './cli/args.ts';
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
export { mnistClassNames } from './data/mnist.ts';
export {
  ArgmaxError,
  CancelledError,
  InvalidArgumentError,
  NonFiniteError,
  UnsupportedError,
} from './errors.ts';
export { decodeGreyPng } from './image/decodePng.ts';
export { encodePng, pngDataUrl } from './image/encodePng.ts';
export { imageStrip } from './image/imageStrip.ts';
export { type ImportedModel, type ImportOptions, importModel } from './import/importModel.ts';
export { buildNetworkMilp } from './lp/networkMilp.ts';
export { solveLp } from './lp/solveLp.ts';
export { type TightenOptions, tightenReluBounds } from './lp/tightenBounds.ts';
export { describeModel, type ModelDescription } from './models/describeModel.ts';
export { loadModel } from './models/loadModel.ts';
export { type ModelBytes, memoryLoadHandler, saveToBytes } from './models/memoryIo.ts';
export { buildSeedMlp } from './models/seedMlp.ts';
export { buildSmallCnn } from './models/smallCnn.ts';
export { extractDenseRelu } from './network/denseReluChain.ts';
export { intervalBounds, type NodeBounds } from './network/intervalBounds.ts';
export { jointInputShape } from './network/jointInputShape.ts';
export { extractLayerGraph, type LayerGraph } from './network/layerGraph.ts';
export {
  compileExactObjective,
  concaveCases,
  type ExactObjective,
} from './objectives/exactObjective.ts';
export { evaluateObjective } from './optimize/evaluateObjective.ts';
export { optimize, runOptimization } from './optimize/optimize.ts';
export { methodDefaults, methodNames } from './optimize/resolveOptions.ts';
export { defaultTimeBudget } from './optimize/timeBudget.ts';
export { maximizeExactly } from './polish/exactMilp.ts';
export { type AccentuationInfo, accentuate } from './prior/accentuate.ts';
export type { BuildPriorOptions } from './prior/buildPrior.ts';
export { certifyInGenerative, decoderInputRanges } from './prior/certifyInGenerative.ts';
export { certifyPriorAnswer, searchedSubspace } from './prior/certifyInPrior.ts';
export { type DatasetPriorOptions, datasetPrior } from './prior/datasetPrior.ts';
export { diversePrototypes } from './prior/diversePrototypes.ts';
export {
  buildGenerativePrior,
  defaultVaeSettings,
  type GenerativePrior,
  generativeLatentBox,
} from './prior/generativePrior.ts';
export { generativeDir, loadGenerativePrior, saveGenerativePrior } from './prior/generativeStore.ts';
export { decodeLatent, latentModel } from './prior/latentModel.ts';
export { type ClassSearchInfo, classSearch, optimizeForClass } from './prior/optimizeForClass.ts';
export {
  type GenerativeSearchInfo,
  generativeSearch,
  optimizeInGenerative,
} from './prior/optimizeInGenerative.ts';
export { optimizeInPrior, type PriorResult } from './prior/optimizeInPrior.ts';
export { classTarget, optimizeWithPrior } from './prior/optimizeWithPrior.ts';
export type { Prior, PriorMethod } from './prior/prior.ts';
export type { PriorCertificate } from './prior/priorCertificate.ts';
export { loadPrior, priorCacheDir, priorDir } from './prior/priorStore.ts';
export { type FrontierPoint, realismFrontier, resultFrontier } from './prior/realismFrontier.ts';
export type { RefinedPoint } from './prior/realisticRefine.ts';
export type { ReluDecoder } from './prior/reluDecoder.ts';
export { smallPriorOptions } from './prior/smallPrior.ts';
export type { VaeSettings } from './prior/trainVae.ts';
export { judgeRecipes } from './realism/judges.ts';
export { measureRealism, type Realism } from './realism/measureRealism.ts';
export { isRealistic, type RealismBounds, realismBounds, realismChecks } from './realism/realismCriteria.ts';
export type * from './spec/types.ts';
export { type TrainOptions, train } from './training/train.ts';
