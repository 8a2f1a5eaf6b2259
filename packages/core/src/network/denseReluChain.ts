import type * as tfl from '@tensorflow/tfjs-layers';
import {
  type AffineOp,
  extractLayerGraph,
  type LayerGraph,
  type LayerOp,
  type ReluOp,
} from './layerGraph.ts';

/** An affine op whose matrix is dense: a Dense layer on a flat input (BatchNormalization folded in). */
export type DenseOp = AffineOp & { matrix: { kind: 'dense'; values: Float64Array } };

export type DenseReluOp = DenseOp | ReluOp;

/**
 * A layer graph that is a plain chain of dense layers and ReLUs (an MLP): the same graph and ops,
 * typed so that the polish's exact methods (activation-region LPs, one-layer forms) can read every
 * op's weights as a dense `[outSize, inSize]` row-major matrix.
 */
export interface DenseReluNetwork extends LayerGraph {
  ops: DenseReluOp[];
}

export type DenseReluExtraction = { network: DenseReluNetwork } | { unsupported: string };

/** `graph` as a dense-ReLU chain, or the first op that is not a dense layer or a ReLU. */
export function denseReluChain(graph: LayerGraph): DenseReluExtraction {
  const ops: DenseReluOp[] = [];
  for (const op of graph.ops) {
    if (op.kind === 'relu' || (op.kind === 'affine' && isDense(op))) ops.push(op);
    else
      return {
        unsupported: `layer ${op.layer}: ${whyNotDenseRelu(op.kind)}; supported: Dense and ReLU layers`,
      };
  }
  return { network: { ...graph, ops } };
}

/** The model's layer graph as a dense-ReLU chain, or why it is not one. */
export function extractDenseRelu(model: tfl.LayersModel): DenseReluExtraction {
  // A convolution or pooling layer rules the model out before its graph is built: a large CNN's graph takes
  // seconds to minutes to build, for a refusal.
  const spatial = spatialLayerOf(model);
  if (spatial) return { unsupported: spatial };
  const extraction = extractLayerGraph(model);
  return 'unsupported' in extraction ? extraction : denseReluChain(extraction.graph);
}

/**
 * Why the model is not a dense-ReLU chain, from its layers' classes alone (a convolution or pooling
 * layer), or undefined when that takes its graph (extractDenseRelu). Cheap: reads no weights.
 */
export function spatialLayerOf(model: tfl.LayersModel): string | undefined {
  for (const layer of model.layers) {
    const kind = spatialLayers.get(layer.getClassName());
    if (kind) return `layer ${layer.name}: ${whyNotDenseRelu(kind)}; supported: Dense and ReLU layers`;
  }
  return undefined;
}

/** Layers whose op is never dense, by class, with the kind of op they become. */
const spatialLayers = new Map<string, LayerOp['kind']>([
  ['Conv2D', 'affine'],
  ['AveragePooling2D', 'affine'],
  ['GlobalAveragePooling2D', 'affine'],
  ['MaxPooling2D', 'maxPool'],
  ['GlobalMaxPooling2D', 'maxPool'],
]);

function isDense(op: AffineOp): op is DenseOp {
  return op.matrix.kind === 'dense';
}

function whyNotDenseRelu(kind: LayerOp['kind']): string {
  switch (kind) {
    case 'affine':
      return 'a sparse affine map (Conv2D, pooling, BatchNormalization on its own, or Dense on a rank > 2 input)';
    case 'leakyRelu':
      return 'LeakyReLU';
    case 'maxPool':
      return 'max pooling';
    case 'relu':
      return 'ReLU';
  }
}
