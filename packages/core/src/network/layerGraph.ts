import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * A feed-forward network as a chain of float64 operations on flat vectors (channels-last, row-major,
 * the order tfjs stores tensors in), so bound propagation and exact solvers can work on it without
 * float32 round-off. Flatten, Reshape, Dropout and InputLayer vanish (they do not change a flat
 * vector at inference); Dense, Conv2D, AveragePooling and BatchNormalization become affine maps;
 * ReLU, LeakyReLU and MaxPooling stay as the only non-linear operations.
 */
export type LayerOp = AffineOp | ReluOp | LeakyReluOp | MaxPoolOp;

/** A dense `[outSize, inSize]` row-major matrix, or a sparse one in compressed rows. */
export type Matrix =
  | { kind: 'dense'; values: Float64Array }
  | { kind: 'csr'; starts: Int32Array; cols: Int32Array; values: Float64Array };

export interface AffineOp {
  kind: 'affine';
  /** The tfjs layer(s) this op came from (a folded BatchNormalization adds its name). */
  layer: string;
  inSize: number;
  outSize: number;
  matrix: Matrix;
  bias: Float64Array;
}

export interface ReluOp {
  kind: 'relu';
  layer: string;
  size: number;
}

export interface LeakyReluOp {
  kind: 'leakyRelu';
  layer: string;
  size: number;
  /** Slope for negative inputs, in [0, 1). */
  alpha: number;
}

export interface MaxPoolOp {
  kind: 'maxPool';
  layer: string;
  inSize: number;
  outSize: number;
  /** Output o is the max of inputs `inputs[starts[o]..starts[o+1])` (padding is left out, as in TF). */
  starts: Int32Array;
  inputs: Int32Array;
}

export interface LayerGraph {
  /** Input shape without the batch dim. */
  inputShape: number[];
  inputSize: number;
  ops: LayerOp[];
  /** Whether a softmax follows the last op (whose output is then the logits). */
  softmax: boolean;
  /** Size of the last op's output (the logits when `softmax`). */
  outputSize: number;
  /** Where each named layer's output lives: an op index (-1: the input), or 'softmax'. */
  layerOutputs: Map<string, number | 'softmax'>;
}

export type LayerGraphExtraction = { graph: LayerGraph } | { unsupported: string };

export const supportedLayers =
  'Dense, Conv2D, ReLU, LeakyReLU, MaxPooling2D, AveragePooling2D, GlobalMaxPooling2D, GlobalAveragePooling2D, Flatten, Reshape, BatchNormalization, Dropout, Activation (relu, linear, softmax), Softmax';

const passThrough = new Set(['Flatten', 'Reshape', 'Dropout', 'InputLayer', 'SpatialDropout2D']);

class Unsupported extends Error {}

/**
 * Reads a single-input, single-output chain of the layers in `supportedLayers` into float64 ops.
 * Anything else returns the precise reason (which layer, which setting) instead of a guess.
 */
export function extractLayerGraph(model: tfl.LayersModel): LayerGraphExtraction {
  try {
    return { graph: extract(model) };
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    throw error;
  }
}

function extract(model: tfl.LayersModel): LayerGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Unsupported(
      `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; only one of each is supported`,
    );
  }
  const inputShape = dims(model.inputs[0]!.shape, 'the input');
  const inputSize = product(inputShape);
  const ops: LayerOp[] = [];
  const layerOutputs = new Map<string, number | 'softmax'>();
  let size = inputSize;
  let softmax = false;

  for (const { layer, inShape, outShape } of layerChain(model)) {
    const className = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    const where = `layer ${layer.name} (${className})`;
    if (softmax && !passThrough.has(className)) throw new Unsupported(`${where} follows the softmax`);
    if (config.dataFormat === 'channelsFirst') {
      throw new Unsupported(`${where}: dataFormat channelsFirst (only channelsLast is supported)`);
    }
    let activation = 'linear';
    if (passThrough.has(className)) {
      // Nothing to do on a flat vector.
    } else if (className === 'Dense') {
      ops.push(denseOp(layer, inShape, outShape));
      activation = String(config.activation ?? 'linear');
    } else if (className === 'Conv2D') {
      ops.push(conv2dOp(layer, config, inShape, outShape));
      activation = String(config.activation ?? 'linear');
    } else if (className === 'BatchNormalization') {
      if (pushAffine(ops, batchNormOp(layer, config, inShape))) {
        // The op before now produces the normalised values: its own output no longer exists.
        for (const [name, index] of layerOutputs) if (index === ops.length - 1) layerOutputs.delete(name);
      }
    } else if (className === 'AveragePooling2D' || className === 'GlobalAveragePooling2D') {
      ops.push(poolOp(layer, config, inShape, outShape, 'average'));
    } else if (className === 'MaxPooling2D' || className === 'GlobalMaxPooling2D') {
      ops.push(poolOp(layer, config, inShape, outShape, 'max'));
    } else if (className === 'ReLU') {
      if (config.maxValue != null)
        throw new Unsupported(`${where}: maxValue ${config.maxValue} (capped ReLU)`);
      activation = 'relu';
    } else if (className === 'LeakyReLU') {
      const alpha = Number(config.alpha ?? 0.3);
      if (!(alpha >= 0 && alpha < 1))
        throw new Unsupported(`${where}: alpha ${alpha} (supported: 0 ≤ alpha < 1)`);
      ops.push({ kind: 'leakyRelu', layer: layer.name, size, alpha });
    } else if (className === 'Activation') {
      activation = String(config.activation);
    } else if (className === 'Softmax') {
      activation = 'softmax';
    } else {
      throw new Unsupported(`${where} is not supported; supported layers: ${supportedLayers}`);
    }
    const last = ops.at(-1);
    if (last) size = last.kind === 'affine' || last.kind === 'maxPool' ? last.outSize : last.size;
    if (activation === 'relu') ops.push({ kind: 'relu', layer: layer.name, size });
    else if (activation === 'softmax') softmax = true;
    else if (activation !== 'linear') {
      throw new Unsupported(`${where}: activation ${activation} (supported: relu, linear, softmax)`);
    }
    if (!passThrough.has(className) && size !== product(outShape)) {
      throw new Unsupported(
        `${where}: produces ${size} values but its output shape holds ${product(outShape)}`,
      );
    }
    layerOutputs.set(layer.name, softmax ? 'softmax' : ops.length - 1);
  }
  return { inputShape, inputSize, ops, softmax, outputSize: size, layerOutputs };
}

interface ChainLink {
  layer: tfl.layers.Layer;
  inShape: number[];
  outShape: number[];
}

/** The layers from the input to the output, when they form a single chain. */
function layerChain(model: tfl.LayersModel): ChainLink[] {
  const links: ChainLink[] = [];
  let tensor = model.outputs[0]!;
  for (;;) {
    const layer = tensor.sourceLayer as tfl.layers.Layer;
    if (layer.getClassName() === 'InputLayer') break;
    if (tensor.inputs.length !== 1) {
      throw new Unsupported(
        `layer ${layer.name} has ${tensor.inputs.length} inputs; only a chain of layers is supported`,
      );
    }
    const input = tensor.inputs[0]!;
    links.push({
      layer,
      inShape: dims(input.shape, `the input of layer ${layer.name}`),
      outShape: dims(tensor.shape, `the output of layer ${layer.name}`),
    });
    tensor = input;
  }
  return links.reverse();
}

function dims(shape: (number | null)[], what: string): number[] {
  const rest = shape.slice(1);
  if (rest.some((d) => d == null))
    throw new Unsupported(`${what} has unknown dimensions [${rest.join(', ')}]`);
  return rest as number[];
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function weightsOf(layer: tfl.layers.Layer): Map<string, Float64Array> {
  const values = layer.getWeights();
  const named = new Map<string, Float64Array>();
  layer.weights.forEach((w, i) => {
    const name = w.originalName.split('/').at(-1)!;
    named.set(name, Float64Array.from(values[i]!.dataSync()));
  });
  return named;
}

/** Dense on a flat input, or on the last axis of a higher-rank one (block-diagonal per position). */
function denseOp(layer: tfl.layers.Layer, inShape: number[], outShape: number[]): AffineOp {
  const weights = weightsOf(layer);
  const kernel = weights.get('kernel')!;
  const inner = inShape.at(-1)!;
  const units = outShape.at(-1)!;
  const positions = product(inShape) / inner;
  const bias = weights.get('bias');
  // Keras kernels are [in, out]; ops hold [out, in].
  const block = new Float64Array(units * inner);
  for (let i = 0; i < inner; i++)
    for (let o = 0; o < units; o++) block[o * inner + i] = kernel[i * units + o]!;
  const biasOut = new Float64Array(units * positions);
  for (let p = 0; p < positions; p++) if (bias) biasOut.set(bias, p * units);
  if (positions === 1) {
    return {
      kind: 'affine',
      layer: layer.name,
      inSize: inner,
      outSize: units,
      matrix: { kind: 'dense', values: block },
      bias: biasOut,
    };
  }
  const rows = new SparseRows(units * positions);
  for (let p = 0; p < positions; p++) {
    for (let o = 0; o < units; o++) {
      for (let i = 0; i < inner; i++) rows.add(p * units + o, p * inner + i, block[o * inner + i]!);
    }
  }
  return {
    kind: 'affine',
    layer: layer.name,
    inSize: product(inShape),
    outSize: units * positions,
    matrix: rows.toCsr(),
    bias: biasOut,
  };
}

/** Output window geometry of TF's 'valid' / 'same' padding along one axis. */
function window(
  inSize: number,
  outSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: string,
) {
  if (padding === 'valid') return { before: 0 };
  if (padding !== 'same') throw new Unsupported(`padding ${padding} (supported: valid, same)`);
  const total = Math.max((outSize - 1) * stride + (kernel - 1) * dilation + 1 - inSize, 0);
  return { before: Math.floor(total / 2) };
}

function pair(value: unknown, fallback: number): [number, number] {
  if (value == null) return [fallback, fallback];
  if (Array.isArray(value)) return [Number(value[0]), Number(value[1] ?? value[0])];
  return [Number(value), Number(value)];
}

function conv2dOp(
  layer: tfl.layers.Layer,
  config: Record<string, unknown>,
  inShape: number[],
  outShape: number[],
): AffineOp {
  const [H, W, C] = inShape as [number, number, number];
  const [OH, OW, F] = outShape as [number, number, number];
  const [kh, kw] = pair(config.kernelSize, 1);
  const [sh, sw] = pair(config.strides, 1);
  const [dh, dw] = pair(config.dilationRate, 1);
  const padding = String(config.padding ?? 'valid');
  const weights = weightsOf(layer);
  const kernel = weights.get('kernel')!; // [kh, kw, C, F]
  const bias = weights.get('bias');
  const { before: ph } = window(H, OH, kh, sh, dh, padding);
  const { before: pw } = window(W, OW, kw, sw, dw, padding);
  const rows = new SparseRows(OH * OW * F);
  const biasOut = new Float64Array(OH * OW * F);
  for (let oh = 0; oh < OH; oh++) {
    for (let ow = 0; ow < OW; ow++) {
      for (let f = 0; f < F; f++) {
        const row = (oh * OW + ow) * F + f;
        biasOut[row] = bias ? bias[f]! : 0;
        for (let i = 0; i < kh; i++) {
          const h = oh * sh + i * dh - ph;
          if (h < 0 || h >= H) continue;
          for (let j = 0; j < kw; j++) {
            const w = ow * sw + j * dw - pw;
            if (w < 0 || w >= W) continue;
            for (let c = 0; c < C; c++)
              rows.add(row, (h * W + w) * C + c, kernel[((i * kw + j) * C + c) * F + f]!);
          }
        }
      }
    }
  }
  return {
    kind: 'affine',
    layer: layer.name,
    inSize: H * W * C,
    outSize: OH * OW * F,
    matrix: rows.toCsr(),
    bias: biasOut,
  };
}

function poolOp(
  layer: tfl.layers.Layer,
  config: Record<string, unknown>,
  inShape: number[],
  outShape: number[],
  mode: 'average' | 'max',
): AffineOp | MaxPoolOp {
  const [H, W, C] = inShape as [number, number, number];
  const global = layer.getClassName().startsWith('Global');
  if (global && outShape.length !== 1)
    throw new Unsupported(`layer ${layer.name}: keepDims is not supported`);
  const [kh, kw] = global ? [H, W] : pair(config.poolSize, 2);
  const [sh, sw] = global ? [1, 1] : pair(config.strides ?? config.poolSize, 2);
  const padding = global ? 'valid' : String(config.padding ?? 'valid');
  const [OH, OW] = global ? [1, 1] : (outShape as [number, number, number]);
  const { before: ph } = window(H, OH, kh, sh, 1, padding);
  const { before: pw } = window(W, OW, kw, sw, 1, padding);
  const starts = [0];
  const inputs: number[] = [];
  for (let oh = 0; oh < OH; oh++) {
    for (let ow = 0; ow < OW; ow++) {
      for (let c = 0; c < C; c++) {
        for (let i = 0; i < kh; i++) {
          const h = oh * sh + i - ph;
          if (h < 0 || h >= H) continue;
          for (let j = 0; j < kw; j++) {
            const w = ow * sw + j - pw;
            if (w >= 0 && w < W) inputs.push((h * W + w) * C + c);
          }
        }
        starts.push(inputs.length);
      }
    }
  }
  const outSize = OH * OW * C;
  if (mode === 'max') {
    return {
      kind: 'maxPool',
      layer: layer.name,
      inSize: H * W * C,
      outSize,
      starts: Int32Array.from(starts),
      inputs: Int32Array.from(inputs),
    };
  }
  // TF averages over the window's valid (unpadded) inputs.
  const rows = new SparseRows(outSize);
  for (let o = 0; o < outSize; o++) {
    const count = starts[o + 1]! - starts[o]!;
    for (let k = starts[o]!; k < starts[o + 1]!; k++) rows.add(o, inputs[k]!, 1 / count);
  }
  return {
    kind: 'affine',
    layer: layer.name,
    inSize: H * W * C,
    outSize,
    matrix: rows.toCsr(),
    bias: new Float64Array(outSize),
  };
}

/** Inference-time BatchNormalization on the last axis: a per-channel scale and shift. */
function batchNormOp(layer: tfl.layers.Layer, config: Record<string, unknown>, inShape: number[]): AffineOp {
  const axis = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
  if (axis.length !== 1 || !(axis[0] === -1 || axis[0] === inShape.length)) {
    throw new Unsupported(
      `layer ${layer.name} (BatchNormalization): axis ${JSON.stringify(config.axis)} (only the last axis is supported)`,
    );
  }
  const weights = weightsOf(layer);
  const channels = inShape.at(-1)!;
  const epsilon = Number(config.epsilon ?? 1e-3);
  const mean = weights.get('moving_mean')!;
  const variance = weights.get('moving_variance')!;
  const gamma = weights.get('gamma');
  const beta = weights.get('beta');
  const size = product(inShape);
  const scale = new Float64Array(size);
  const shift = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const c = i % channels;
    const s = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + epsilon);
    scale[i] = s;
    shift[i] = (beta ? beta[c]! : 0) - mean[c]! * s;
  }
  const rows = new SparseRows(size);
  for (let i = 0; i < size; i++) rows.add(i, i, scale[i]!);
  return {
    kind: 'affine',
    layer: layer.name,
    inSize: size,
    outSize: size,
    matrix: rows.toCsr(),
    bias: shift,
  };
}

/**
 * Appends an affine op, folding a diagonal one (BatchNormalization) into the affine op before it when
 * nothing non-linear sits between them: fewer variables for the exact solvers, same function.
 */
function pushAffine(ops: LayerOp[], op: AffineOp): boolean {
  const previous = ops.at(-1);
  if (previous?.kind !== 'affine' || op.matrix.kind !== 'csr' || op.inSize !== op.outSize) {
    ops.push(op);
    return false;
  }
  const scale = op.matrix.values;
  const matrix = previous.matrix;
  if (matrix.kind === 'dense') {
    for (let o = 0; o < previous.outSize; o++) {
      for (let i = 0; i < previous.inSize; i++) matrix.values[o * previous.inSize + i]! *= scale[o]!;
    }
  } else {
    for (let o = 0; o < previous.outSize; o++) {
      for (let k = matrix.starts[o]!; k < matrix.starts[o + 1]!; k++) matrix.values[k]! *= scale[o]!;
    }
  }
  for (let o = 0; o < previous.outSize; o++) previous.bias[o] = previous.bias[o]! * scale[o]! + op.bias[o]!;
  previous.layer = `${previous.layer}+${op.layer}`;
  return true;
}

/** Collects a sparse matrix row by row (rows may be filled in any order). */
class SparseRows {
  private readonly rows: { cols: number[]; values: number[] }[];
  constructor(count: number) {
    this.rows = Array.from({ length: count }, () => ({ cols: [], values: [] }));
  }
  add(row: number, col: number, value: number): void {
    if (value === 0) return;
    this.rows[row]!.cols.push(col);
    this.rows[row]!.values.push(value);
  }
  toCsr(): Matrix {
    const starts = new Int32Array(this.rows.length + 1);
    this.rows.forEach((r, i) => {
      starts[i + 1] = starts[i]! + r.cols.length;
    });
    const cols = new Int32Array(starts[this.rows.length]!);
    const values = new Float64Array(cols.length);
    this.rows.forEach((r, i) => {
      cols.set(r.cols, starts[i]!);
      values.set(r.values, starts[i]!);
    });
    return { kind: 'csr', starts, cols, values };
  }
}

/** Every op's output for one flat input, in float64 (index i holds op i's output). */
export function forwardLayerGraph(graph: LayerGraph, input: ArrayLike<number>): Float64Array[] {
  const outputs: Float64Array[] = [];
  let current: Float64Array = Float64Array.from(input as ArrayLike<number>);
  for (const op of graph.ops) {
    current = applyOp(op, current);
    outputs.push(current);
  }
  return outputs;
}

/** The last op's output (the logits of a softmax head). */
export function logitsAt(graph: LayerGraph, input: ArrayLike<number>): Float64Array {
  return forwardLayerGraph(graph, input).at(-1) ?? Float64Array.from(input as ArrayLike<number>);
}

export function applyOp(op: LayerOp, x: Float64Array): Float64Array {
  switch (op.kind) {
    case 'affine':
      return affineForward(op, x);
    case 'relu':
      return x.map((v) => Math.max(v, 0));
    case 'leakyRelu':
      return x.map((v) => (v > 0 ? v : op.alpha * v));
    case 'maxPool': {
      const y = new Float64Array(op.outSize);
      for (let o = 0; o < op.outSize; o++) {
        let best = Number.NEGATIVE_INFINITY;
        for (let k = op.starts[o]!; k < op.starts[o + 1]!; k++) best = Math.max(best, x[op.inputs[k]!]!);
        y[o] = best;
      }
      return y;
    }
  }
}

/** `W x + b`. */
export function affineForward(op: AffineOp, x: ArrayLike<number>): Float64Array {
  const y = Float64Array.from(op.bias);
  const m = op.matrix;
  if (m.kind === 'dense') {
    for (let o = 0; o < op.outSize; o++) {
      let sum = 0;
      const row = o * op.inSize;
      for (let i = 0; i < op.inSize; i++) sum += m.values[row + i]! * x[i]!;
      y[o]! += sum;
    }
  } else {
    for (let o = 0; o < op.outSize; o++) {
      let sum = 0;
      for (let k = m.starts[o]!; k < m.starts[o + 1]!; k++) sum += m.values[k]! * x[m.cols[k]!]!;
      y[o]! += sum;
    }
  }
  return y;
}

/** Output size of an op. */
export function opSize(op: LayerOp): number {
  return op.kind === 'affine' || op.kind === 'maxPool' ? op.outSize : op.size;
}
