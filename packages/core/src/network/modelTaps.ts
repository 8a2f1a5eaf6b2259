import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UnsupportedError } from '../errors.ts';
import { type DenseKernel, denseForward, prepareDenseKernel } from './fastDense.ts';
import { jointInputShape } from './jointInputShape.ts';
import { linearClone } from './linearClone.ts';

/** How the model's last layer turns logits into outputs. `other`: no logits can be found. */
export type HeadKind = 'softmax' | 'sigmoid' | 'linear' | 'other';

export interface HeadTensors {
  /** The model output, flattened to `[B, outputSize]`. */
  raw: tf.Tensor2D;
  /** Pre-activation of the head (`raw` itself for a linear head). */
  logits?: tf.Tensor2D;
  /** Softmax/sigmoid outputs (`raw`) for a softmax or sigmoid head. */
  probabilities?: tf.Tensor2D;
}

export interface Taps {
  head: HeadTensors;
  /** The named layers' outputs that were asked for, batch dim first. */
  layers: Map<string, tf.Tensor>;
}

/**
 * A model prepared for optimisation: one forward pass gives the head (raw output, logits, probabilities)
 * and any named layer's output, differentiably with respect to the input.
 */
export interface TappedNetwork {
  /** Input shape without the batch dim; `[inputSize]` for a model with several inputs. */
  inputShape: number[];
  inputSize: number;
  /**
   * The model's inputs in order (shapes without the batch dim). A model with several inputs takes
   * them as one flat vector, each input's values after the previous input's.
   */
  inputs: { name: string; shape: number[] }[];
  /** Units of the (flattened) model output. */
  outputSize: number;
  head: HeadKind;
  /** The head's activation as the model names it (for messages). */
  headActivation: string;
  /** Names of the layers whose outputs can be tapped, input to output. */
  layerNames: string[];
  /** Output shape (no batch dim) and data format of a named layer; undefined for unknown names. */
  layerInfo(name: string): { shape: number[]; channelsFirst: boolean } | undefined;
  /** `run` also takes flat `[B, inputSize]` inputs (saves reshapes when the model starts with Flatten). */
  acceptsFlat: boolean;
  /** `x`: `[B, ...inputShape]`, or `[B, inputSize]` when `acceptsFlat`. */
  run(x: tf.Tensor, layers?: ReadonlySet<string>): Taps;
  /** Frees what this network allocated (never the model's own weights). */
  dispose(): void;
}

type Step = { name: string; apply: (t: tf.Tensor) => tf.Tensor };

/**
 * Prepares `model` for optimisation. A single chain of layers (Sequential models, the common case) runs
 * layer by layer with Dense layers on a fast path (see fastDense.ts); other graphs run through a
 * tfjs sub-model whose outputs are the taps. A model with several inputs is optimised over all of
 * them at once, as one flat vector split into the model's inputs before the forward pass.
 */
export function tapModel(model: tfl.LayersModel): TappedNetwork {
  if (model.outputs.length !== 1) {
    throw new UnsupportedError(`the model has ${model.outputs.length} outputs; only one is supported`);
  }
  const inputs = model.inputs.map((input) => {
    const shape = input.shape.slice(1);
    if (shape.some((d) => d == null)) {
      throw new UnsupportedError(
        `the model input ${input.name} has shape [${shape.join(', ')}] with unknown dimensions`,
      );
    }
    return { name: input.sourceLayer.name, shape: shape as number[] };
  });
  const inputSizes = inputs.map((input) => input.shape.reduce((a, b) => a * b, 1));
  const inputShape = jointInputShape(inputs.map((input) => input.shape));
  /** `[B, inputSize]` → one tensor per model input (several inputs only). */
  const splitInputs = (x: tf.Tensor): tf.Tensor[] =>
    tf
      .split(x, inputSizes, 1)
      .map((part, i) =>
        inputs[i]!.shape.length === 1 ? part : tf.reshape(part, [x.shape[0]!, ...inputs[i]!.shape]),
      );
  const output = model.outputs[0]!;
  const headLayer = output.sourceLayer as tfl.layers.Layer;
  const head = headOf(headLayer);
  const headInput = output.inputs.length === 1 ? output.inputs[0]! : undefined;
  const shapes = new Map<string, { shape: number[]; channelsFirst: boolean }>();
  const chain = inputs.length === 1 ? layerChain(model) : null;
  for (const layer of chain ?? model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const shape = outputShapeOf(layer);
    if (!shape) continue;
    shapes.set(layer.name, {
      shape: shape.slice(1).map((d) => d ?? 1),
      channelsFirst: layer.getConfig().dataFormat === 'channelsFirst',
    });
  }
  const outputSize = output.shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  const owned: { dispose(): void }[] = [];
  const logitsOf =
    head.fused && headInput ? linearOf(headLayer, headInput.shape.slice(1) as number[], owned) : null;

  const headFrom = (
    beforeHead: tf.Tensor,
    raw: tf.Tensor | undefined,
  ): { raw: tf.Tensor; heads: HeadTensors } => {
    if (head.kind === 'linear' || head.kind === 'other') {
      const out = raw ?? beforeHead;
      const flat = flatten(out);
      return { raw: out, heads: head.kind === 'linear' ? { raw: flat, logits: flat } : { raw: flat } };
    }
    const z = logitsOf ? logitsOf(beforeHead) : beforeHead;
    const out = head.fused || head.className === 'Activation' ? activate(z, head.kind) : headLayer.apply(z);
    const flat = flatten(out as tf.Tensor);
    return { raw: out as tf.Tensor, heads: { raw: flat, logits: flatten(z), probabilities: flat } };
  };
  const splitsHead = head.kind === 'softmax' || head.kind === 'sigmoid';

  let run: TappedNetwork['run'];
  let acceptsFlat = inputShape.length === 1;
  if (chain) {
    const steps = chain.slice(0, splitsHead ? -1 : undefined).map((layer) => stepOf(layer, owned));
    // A leading Flatten is a no-op on flat inputs: skip it (and its two reshapes) for them.
    const flattensFirst =
      chain[0]!.getClassName() === 'Flatten' && chain[0]!.getConfig().dataFormat !== 'channelsFirst';
    acceptsFlat ||= flattensFirst;
    run = (x, layers = new Set()) => {
      const taps = new Map<string, tf.Tensor>();
      let t = x;
      for (const [i, step] of steps.entries()) {
        if (i > 0 || !flattensFirst || x.rank !== 2) t = step.apply(t);
        if (layers.has(step.name)) taps.set(step.name, t);
      }
      const { raw, heads } = splitsHead ? headFrom(t, undefined) : headFrom(t, t);
      if (layers.has(headLayer.name)) taps.set(headLayer.name, raw);
      return { head: heads, layers: taps };
    };
  } else {
    const subModels = new Map<string, tfl.LayersModel>();
    run = (x, layers = new Set()) => {
      const names = [...layers].sort();
      const key = names.join('\u0000');
      let sub = subModels.get(key);
      if (!sub) {
        const first = splitsHead && headInput ? headInput : output;
        sub = tfl.model({
          inputs: model.inputs,
          outputs: [first, ...names.map((n) => model.getLayer(n).output as tfl.SymbolicTensor)],
        });
        subModels.set(key, sub);
      }
      const outs = [sub.apply(inputs.length === 1 ? x : splitInputs(x))].flat() as tf.Tensor[];
      const { heads } = splitsHead ? headFrom(outs[0]!, undefined) : headFrom(outs[0]!, outs[0]);
      return { head: heads, layers: new Map(names.map((n, i) => [n, outs[i + 1]!])) };
    };
  }

  return {
    inputShape,
    inputSize: inputShape.reduce((a, b) => a * b, 1),
    inputs,
    outputSize,
    head: head.kind,
    headActivation: head.activation,
    layerNames: [...shapes.keys()],
    layerInfo: (name) => shapes.get(name),
    acceptsFlat,
    run,
    dispose: () => {
      for (const item of owned) item.dispose();
      owned.length = 0;
    },
  };
}

interface Head {
  kind: HeadKind;
  /** The activation lives inside the last layer (Dense(..., activation: 'softmax')). */
  fused: boolean;
  className: string;
  activation: string;
}

function headOf(layer: tfl.layers.Layer): Head {
  const className = layer.getClassName();
  const config = layer.getConfig();
  const activation = className === 'Softmax' ? 'softmax' : String(config.activation ?? 'linear');
  const separate = className === 'Activation' || className === 'Softmax';
  if (className === 'Softmax' && config.axis != null && config.axis !== -1) {
    return { kind: 'other', fused: false, className, activation: `softmax over axis ${config.axis}` };
  }
  if (activation === 'softmax' || activation === 'sigmoid') {
    return { kind: activation, fused: !separate, className, activation };
  }
  return { kind: activation === 'linear' ? 'linear' : 'other', fused: false, className, activation };
}

function activate(z: tf.Tensor, kind: 'softmax' | 'sigmoid' | HeadKind): tf.Tensor {
  return kind === 'softmax' ? tf.softmax(z) : tf.sigmoid(z);
}

function flatten(t: tf.Tensor): tf.Tensor2D {
  return (t.rank === 2 ? t : tf.reshape(t, [t.shape[0]!, -1])) as tf.Tensor2D;
}

/** The pre-activation of the fused head layer, computed from the head layer's input. */
function linearOf(
  layer: tfl.layers.Layer,
  inputShape: number[],
  owned: { dispose(): void }[],
): (t: tf.Tensor) => tf.Tensor {
  if (layer.getClassName() === 'Dense' && inputShape.length === 1) {
    const dense = denseKernelOf(layer, owned);
    return (t) => denseForward(t as tf.Tensor2D, dense, false);
  }
  const clone = linearClone(layer, inputShape);
  owned.push({ dispose: () => clone.dispose() });
  return (t) => clone.apply(t) as tf.Tensor;
}

function denseKernelOf(layer: tfl.layers.Layer, owned: { dispose(): void }[]): DenseKernel {
  const [kernel, bias] = layer.getWeights();
  const dense = prepareDenseKernel(kernel as tf.Tensor2D, bias as tf.Tensor1D | undefined);
  owned.push(dense);
  return dense;
}

function stepOf(layer: tfl.layers.Layer, owned: { dispose(): void }[]): Step {
  const name = layer.name;
  const className = layer.getClassName();
  const config = layer.getConfig();
  const inputRank = inputRankOf(layer);
  if (
    className === 'Dense' &&
    inputRank === 2 &&
    (config.activation === 'relu' || config.activation === 'linear')
  ) {
    const dense = denseKernelOf(layer, owned);
    const relu = config.activation === 'relu';
    return { name, apply: (t) => denseForward(t as tf.Tensor2D, dense, relu) };
  }
  if (className === 'Flatten' && config.dataFormat !== 'channelsFirst') {
    return { name, apply: (t) => tf.reshape(t, [t.shape[0]!, -1]) };
  }
  if (className === 'Dropout') return { name, apply: (t) => t };
  return { name, apply: (t) => layer.apply(t) as tf.Tensor };
}

function inputRankOf(layer: tfl.layers.Layer): number {
  const input = layer.input as tfl.SymbolicTensor | tfl.SymbolicTensor[];
  return Array.isArray(input) ? 0 : input.shape.length;
}

/** A single-output layer's output shape (batch dim included), or null (several outputs or call sites). */
function outputShapeOf(layer: tfl.layers.Layer): (number | null)[] | null {
  try {
    const shape = layer.outputShape as (number | null)[] | (number | null)[][];
    return Array.isArray(shape[0]) ? null : (shape as (number | null)[]);
  } catch {
    return null;
  }
}

/** The model's layers from the input to the output when they form a single chain, else null. */
function layerChain(model: tfl.LayersModel): tfl.layers.Layer[] | null {
  const layers: tfl.layers.Layer[] = [];
  let tensor = model.outputs[0]!;
  for (;;) {
    const layer = tensor.sourceLayer as tfl.layers.Layer;
    if (layer.getClassName() === 'InputLayer') break;
    if (tensor.inputs.length !== 1 || layer.inboundNodes.length !== 1) return null;
    layers.push(layer);
    tensor = tensor.inputs[0]!;
  }
  return layers.reverse();
}
