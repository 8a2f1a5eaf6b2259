import type { JsonObject, Shape } from './kerasTopology.ts';

/** A weight a layer must have: `kind` is the tfjs/Keras weight name (`kernel`, `bias`, `gamma`, ...). */
export interface ExpectedWeight {
  kind: string;
  shape: number[];
}

export interface LayerShapes {
  output: Shape;
  weights: ExpectedWeight[];
}

/** A layer's config does not fit its input; the caller adds the layer's name. */
export class LayerShapeError extends Error {}

/**
 * Output shape and weight shapes of one (non-model) layer for given input shapes, computed from the
 * config alone, the way Keras does, so sizes can be checked before anything is allocated.
 * Shapes include the batch dimension (null).
 */
export function inferLayerShapes(className: string, config: JsonObject, inputs: Shape[]): LayerShapes {
  const input = inputs[0];
  if (!input) throw new LayerShapeError('has no input');
  if (inputs.length > 1 && className !== 'Add' && className !== 'Concatenate')
    throw new LayerShapeError(`takes one input, the config gives it ${inputs.length}`);
  switch (className) {
    case 'InputLayer':
      return { output: input, weights: [] };
    case 'Dropout':
    case 'Activation':
    case 'ReLU':
    case 'LeakyReLU':
    case 'Softmax':
      return { output: input, weights: [] };
    case 'Dense': {
      const units = positiveInt(config.units, 'units');
      const inDim = lastDim(input, 'Dense');
      return {
        output: [...input.slice(0, -1), units],
        weights: withBias(config, [{ kind: 'kernel', shape: [inDim, units] }], units),
      };
    }
    case 'Flatten':
      return { output: [input[0] ?? null, product(known(input.slice(1), 'Flatten'))], weights: [] };
    case 'Reshape':
      return {
        output: [input[0] ?? null, ...reshape(known(input.slice(1), 'Reshape'), config.target_shape)],
        weights: [],
      };
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'Conv2DTranspose':
      return convolution(className, config, image(input, className));
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const [n, h, w, c] = image(input, className);
      const pool = pair(config.pool_size, 'pool_size', 2);
      const strides = config.strides == null ? pool : pair(config.strides, 'strides', 1);
      const padding = paddingMode(config.padding);
      return {
        output: [
          n,
          convLength(h, pool[0], strides[0], 1, padding),
          convLength(w, pool[1], strides[1], 1, padding),
          c,
        ],
        weights: [],
      };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      const [n, , , c] = image(input, className);
      return { output: [n, c], weights: [] };
    }
    case 'ZeroPadding2D': {
      const [n, h, w, c] = image(input, className);
      const [[top, bottom], [left, right]] = padding2d(config.padding);
      return { output: [n, h + top + bottom, w + left + right, c], weights: [] };
    }
    case 'UpSampling2D': {
      const [n, h, w, c] = image(input, className);
      const size = pair(config.size, 'size', 2);
      return { output: [n, h * size[0], w * size[1], c], weights: [] };
    }
    case 'BatchNormalization': {
      const axisValue = Array.isArray(config.axis) ? config.axis[0] : (config.axis ?? -1);
      const axis = normaliseAxis(Number(axisValue), input.length);
      const channels = input[axis];
      if (axis === 0 || channels == null)
        throw new LayerShapeError(`normalises over axis ${axisValue} of unknown size`);
      const weights: ExpectedWeight[] = [];
      if (config.scale !== false) weights.push({ kind: 'gamma', shape: [channels] });
      if (config.center !== false) weights.push({ kind: 'beta', shape: [channels] });
      weights.push(
        { kind: 'moving_mean', shape: [channels] },
        { kind: 'moving_variance', shape: [channels] },
      );
      return { output: input, weights };
    }
    case 'Add': {
      for (const other of inputs)
        if (!sameShape(other, input))
          throw new LayerShapeError(`adds tensors of different shapes ${format(input)} and ${format(other)}`);
      return { output: input, weights: [] };
    }
    case 'Concatenate': {
      const axis = normaliseAxis(Number(config.axis ?? -1), input.length);
      if (axis === 0) throw new LayerShapeError('concatenates along the batch axis');
      let size = 0;
      for (const other of inputs) {
        const dim = other[axis];
        if (
          other.length !== input.length ||
          dim == null ||
          other.some((d, i) => i !== axis && i !== 0 && d !== input[i])
        )
          throw new LayerShapeError(
            `concatenates incompatible shapes ${inputs.map(format).join(', ')} on axis ${axis}`,
          );
        size += dim;
      }
      const output = [...input];
      output[axis] = size;
      return { output, weights: [] };
    }
    default:
      throw new LayerShapeError(`has no shape rule for class ${className}`);
  }
}

function convolution(
  className: string,
  config: JsonObject,
  [n, h, w, c]: [null | number, number, number, number],
): LayerShapes {
  const kernel = pair(config.kernel_size, 'kernel_size', undefined);
  const strides = pair(config.strides, 'strides', 1);
  const dilation = pair(config.dilation_rate, 'dilation_rate', 1);
  const padding = paddingMode(config.padding);
  if (className === 'Conv2DTranspose') {
    const filters = positiveInt(config.filters, 'filters');
    return {
      output: [
        n,
        deconvLength(h, kernel[0], strides[0], padding),
        deconvLength(w, kernel[1], strides[1], padding),
        filters,
      ],
      weights: withBias(config, [{ kind: 'kernel', shape: [kernel[0], kernel[1], filters, c] }], filters),
    };
  }
  const outH = convLength(h, kernel[0], strides[0], dilation[0], padding);
  const outW = convLength(w, kernel[1], strides[1], dilation[1], padding);
  if (className === 'DepthwiseConv2D') {
    const multiplier = positiveInt(config.depth_multiplier ?? 1, 'depth_multiplier');
    return {
      output: [n, outH, outW, c * multiplier],
      weights: withBias(
        config,
        [{ kind: 'depthwise_kernel', shape: [kernel[0], kernel[1], c, multiplier] }],
        c * multiplier,
      ),
    };
  }
  const filters = positiveInt(config.filters, 'filters');
  return {
    output: [n, outH, outW, filters],
    weights: withBias(config, [{ kind: 'kernel', shape: [kernel[0], kernel[1], c, filters] }], filters),
  };
}

function withBias(config: JsonObject, weights: ExpectedWeight[], size: number): ExpectedWeight[] {
  return config.use_bias === false ? weights : [...weights, { kind: 'bias', shape: [size] }];
}

/** Keras conv_utils.conv_output_length. */
function convLength(
  length: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: 'valid' | 'same',
): number {
  const span = (kernel - 1) * dilation + 1;
  const out = padding === 'same' ? Math.ceil(length / stride) : Math.floor((length - span) / stride) + 1;
  if (out < 1)
    throw new LayerShapeError(
      `a ${kernel}-wide window with ${padding} padding does not fit an input of ${length}`,
    );
  return out;
}

/** Keras conv_utils.deconv_output_length without output_padding. */
function deconvLength(length: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? length * stride : length * stride + Math.max(kernel - stride, 0);
}

function image(shape: Shape, className: string): [null | number, number, number, number] {
  if (shape.length !== 4)
    throw new LayerShapeError(
      `${className} needs a [batch, height, width, channels] input, got ${format(shape)}`,
    );
  const [n, ...rest] = shape;
  const [h, w, c] = known(rest, className);
  return [n ?? null, h as number, w as number, c as number];
}

function lastDim(shape: Shape, className: string): number {
  const dim = shape[shape.length - 1];
  if (shape.length < 2 || dim == null)
    throw new LayerShapeError(`${className} needs a known last dimension, got ${format(shape)}`);
  return dim;
}

function known(dims: Shape, className: string): number[] {
  if (dims.some((d) => d == null))
    throw new LayerShapeError(`${className} needs known dimensions, got ${format(dims)}`);
  return dims as number[];
}

function reshape(inputDims: number[], target: unknown): number[] {
  if (!Array.isArray(target)) throw new LayerShapeError('has no target_shape');
  const dims = target.map((d) => (d == null ? -1 : Number(d)));
  const total = product(inputDims);
  const unknown = dims.filter((d) => d === -1).length;
  if (unknown > 1 || dims.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)))
    throw new LayerShapeError(
      `target_shape ${JSON.stringify(target)} is not a list of positive sizes (one -1 allowed)`,
    );
  const knownProduct = product(dims.filter((d) => d !== -1));
  if (unknown === 1) {
    if (total % knownProduct !== 0)
      throw new LayerShapeError(`cannot reshape ${total} values to ${JSON.stringify(target)}`);
    return dims.map((d) => (d === -1 ? total / knownProduct : d));
  }
  if (knownProduct !== total)
    throw new LayerShapeError(
      `cannot reshape ${format([null, ...inputDims])} (${total} values) to ${JSON.stringify(target)}`,
    );
  return dims;
}

function pair(value: unknown, name: string, fallback: number | undefined): [number, number] {
  const raw = value == null ? fallback : value;
  const list = Array.isArray(raw) ? raw : [raw, raw];
  const [a, b] = list.map((v) => Number(v));
  if (list.length !== 2 || !isPositiveInt(a) || !isPositiveInt(b))
    throw new LayerShapeError(`${name} ${JSON.stringify(value)} is not one or two positive integers`);
  return [a as number, b as number];
}

function padding2d(value: unknown): [[number, number], [number, number]] {
  const raw = value ?? 1;
  const sides = (v: unknown): [number, number] =>
    Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)];
  const result: [[number, number], [number, number]] = Array.isArray(raw)
    ? [sides(raw[0]), sides(raw[1])]
    : [sides(raw), sides(raw)];
  if (result.flat().some((p) => !Number.isInteger(p) || p < 0))
    throw new LayerShapeError(`padding ${JSON.stringify(value)} is not non-negative integers`);
  return result;
}

function paddingMode(value: unknown): 'valid' | 'same' {
  if (value == null || value === 'valid') return 'valid';
  if (value === 'same') return 'same';
  throw new LayerShapeError(`padding ${JSON.stringify(value)} not supported (valid, same)`);
}

function positiveInt(value: unknown, name: string): number {
  const n = Number(value);
  if (!isPositiveInt(n))
    throw new LayerShapeError(`${name} ${JSON.stringify(value)} is not a positive integer`);
  return n;
}

function isPositiveInt(n: number | undefined): boolean {
  return n !== undefined && Number.isSafeInteger(n) && n >= 1;
}

function normaliseAxis(axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    throw new LayerShapeError(`axis ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => i === 0 || d === b[i]);
}

export function product(dims: number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

export function format(shape: Shape): string {
  return `[${shape.map((d) => (d == null ? 'null' : d)).join(', ')}]`;
}
