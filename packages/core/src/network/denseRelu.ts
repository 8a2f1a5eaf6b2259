import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * A feed-forward network of dense layers and ReLUs, copied out of a tfjs model into float64 arrays, so
 * exact methods (LP/MILP over activation regions) can work on it without float32 round-off.
 */
export type DenseReluOp =
  | {
      kind: 'dense';
      /** Name of the tfjs layer this op came from. */
      layer: string;
      inSize: number;
      outSize: number;
      /** Row-major `[outSize, inSize]` (the transpose of the Keras kernel). */
      weights: Float64Array;
      bias: Float64Array;
    }
  | { kind: 'relu'; layer: string; size: number };

export interface DenseReluNetwork {
  /** Input shape without the batch dim; inputs are used flat, in row-major order. */
  inputShape: number[];
  inputSize: number;
  ops: DenseReluOp[];
  /** Whether a softmax follows the last op; the last op's output is then the logits. */
  softmax: boolean;
  /**
   * Where each named layer's output lives: the index of the op that produces it (-1 for layers that
   * only reshape the input), or 'softmax' for the layer that applies the softmax.
   */
  layerOutputs: Map<string, number | 'softmax'>;
}

export type DenseReluExtraction = { network: DenseReluNetwork } | { unsupported: string };

// Layers that do not change a flat vector at inference time.
const passThrough = new Set(['Flatten', 'Reshape', 'Dropout', 'InputLayer']);

/**
 * Reads a single-input, single-output chain of Flatten/Reshape/Dropout/Dense(relu|linear|softmax)/
 * ReLU/Activation(relu|linear|softmax)/Softmax layers. Anything else returns the reason it cannot.
 */
export function extractDenseRelu(model: tfl.LayersModel): DenseReluExtraction {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    return {
      unsupported: `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; only one of each is supported`,
    };
  }
  const chain = layerChain(model);
  if ('unsupported' in chain) return chain;

  const inputShape = (model.inputs[0]!.shape as (number | null)[]).slice(1);
  if (inputShape.some((d) => d == null)) {
    return { unsupported: `the input shape [${inputShape.join(', ')}] has unknown dimensions` };
  }
  const inputSize = (inputShape as number[]).reduce((a, b) => a * b, 1);
  const ops: DenseReluOp[] = [];
  const layerOutputs = new Map<string, number | 'softmax'>();
  let size = inputSize;
  let softmax = false;

  for (const { layer, inputRank } of chain.layers) {
    const className = layer.getClassName();
    const config = layer.getConfig();
    if (softmax && className !== 'Dropout' && className !== 'Flatten') {
      return { unsupported: `layer ${layer.name} (${className}) follows the softmax` };
    }
    if (className === 'Flatten' && config.dataFormat === 'channelsFirst') {
      return { unsupported: `layer ${layer.name}: Flatten with dataFormat channelsFirst reorders inputs` };
    }
    if (passThrough.has(className)) {
      layerOutputs.set(layer.name, softmax ? 'softmax' : ops.length - 1);
      continue;
    }
    let activation: string;
    if (className === 'Dense') {
      if (inputRank !== 2) {
        return { unsupported: `layer ${layer.name}: Dense on a rank-${inputRank} input (flatten first)` };
      }
      const [kernel, bias] = layer.getWeights();
      const kernelValues = kernel!.dataSync();
      const [inSize, outSize] = kernel!.shape as [number, number];
      if (inSize !== size) {
        return { unsupported: `layer ${layer.name}: kernel expects ${inSize} inputs but receives ${size}` };
      }
      const weights = new Float64Array(outSize * inSize);
      for (let i = 0; i < inSize; i++) {
        for (let o = 0; o < outSize; o++) weights[o * inSize + i] = kernelValues[i * outSize + o]!;
      }
      const biasValues = new Float64Array(outSize);
      if (bias) biasValues.set(bias.dataSync());
      ops.push({ kind: 'dense', layer: layer.name, inSize, outSize, weights, bias: biasValues });
      size = outSize;
      activation = String(config.activation ?? 'linear');
    } else if (className === 'ReLU') {
      if (config.maxValue != null) {
        return {
          unsupported: `layer ${layer.name}: ReLU with maxValue ${config.maxValue} (capped ReLUs are not supported)`,
        };
      }
      activation = 'relu';
    } else if (className === 'Activation') {
      activation = String(config.activation);
    } else if (className === 'Softmax') {
      activation = 'softmax';
    } else {
      return {
        unsupported: `layer ${layer.name} of class ${className}; supported: Flatten, Reshape, Dropout, Dense, ReLU, Activation, Softmax`,
      };
    }
    if (activation === 'relu') {
      ops.push({ kind: 'relu', layer: layer.name, size });
    } else if (activation === 'softmax') {
      softmax = true;
    } else if (activation !== 'linear') {
      return {
        unsupported: `layer ${layer.name}: activation ${activation}; supported: relu, linear, softmax`,
      };
    }
    layerOutputs.set(layer.name, softmax ? 'softmax' : ops.length - 1);
  }
  return { network: { inputShape: inputShape as number[], inputSize, ops, softmax, layerOutputs } };
}

/** The layers from the input to the output, when they form a single chain. */
function layerChain(
  model: tfl.LayersModel,
): { layers: { layer: tfl.layers.Layer; inputRank: number }[] } | { unsupported: string } {
  const layers: { layer: tfl.layers.Layer; inputRank: number }[] = [];
  let tensor = model.outputs[0]!;
  for (;;) {
    const layer = tensor.sourceLayer as tfl.layers.Layer;
    if (layer.getClassName() === 'InputLayer') break;
    if (tensor.inputs.length !== 1) {
      return {
        unsupported: `layer ${layer.name} has ${tensor.inputs.length} inputs; only a chain of layers is supported`,
      };
    }
    tensor = tensor.inputs[0]!;
    layers.push({ layer, inputRank: tensor.shape.length });
  }
  return { layers: layers.reverse() };
}

/** Every op's output for one flat input, in float64 (index i holds op i's output). */
export function forwardDenseRelu(network: DenseReluNetwork, input: ArrayLike<number>): Float64Array[] {
  const outputs: Float64Array[] = [];
  let current = Float64Array.from(input as ArrayLike<number>);
  for (const op of network.ops) {
    if (op.kind === 'dense') {
      const next = new Float64Array(op.outSize);
      for (let o = 0; o < op.outSize; o++) {
        let sum = op.bias[o]!;
        const row = o * op.inSize;
        for (let i = 0; i < op.inSize; i++) sum += op.weights[row + i]! * current[i]!;
        next[o] = sum;
      }
      current = next;
    } else {
      current = current.map((v) => Math.max(v, 0));
    }
    outputs.push(current);
  }
  return outputs;
}

/** Pre-softmax output (the last op's output, or the input itself for a network of no ops). */
export function logitsOf(network: DenseReluNetwork, outputs: Float64Array[], input: ArrayLike<number>) {
  return outputs[network.ops.length - 1] ?? Float64Array.from(input);
}
