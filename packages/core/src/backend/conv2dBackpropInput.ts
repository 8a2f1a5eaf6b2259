import * as tf from '@tensorflow/tfjs-core';
import { type KernelBackend, makeFloat32 } from './kernelBackend.ts';

interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * The filter of the transposed convolution: spatially flipped, input and output channels swapped,
 * `[kh, kw, out, in]` from `[kh, kw, in, out]`.
 */
export function flippedTransposedFilter(
  filter: Float32Array,
  [kh, kw, inChannels, outChannels]: readonly number[],
): Float32Array {
  const result = new Float32Array(filter.length);
  for (let r = 0; r < kh!; r++)
    for (let c = 0; c < kw!; c++) {
      const from = ((kh! - 1 - r) * kw! + (kw! - 1 - c)) * inChannels! * outChannels!;
      const to = (r * kw! + c) * outChannels! * inChannels!;
      for (let ci = 0; ci < inChannels!; ci++)
        for (let co = 0; co < outChannels!; co++)
          result[to + co * inChannels! + ci] = filter[from + ci * outChannels! + co]!;
    }
  return result;
}

/**
 * The input gradient of a stride-1 2-D convolution as a forward convolution of `dy` with the flipped,
 * channel-swapped filter (padding `k − 1 − p` before and what makes the input size after), so it runs
 * on the backend's Conv2D (XNNPACK on wasm, threaded where the backend is). tfjs-backend-wasm 4.22's
 * own Conv2DBackpropInput is a plain loop: on the Keras Fashion-MNIST CNN it took ~2/3 of a step,
 * ~10× the forward convolutions. Strides, dilations or NCHW go to the original kernel.
 */
function conv2dBackpropInput(
  conv2d: tf.KernelFunc,
  original: tf.KernelFunc,
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown },
): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as Conv2DBackpropInputAttrs;
  const fallback = () => original(args as Parameters<tf.KernelFunc>[0]);
  if (dataFormat !== 'NHWC') return fallback();
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return fallback();
  const { filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth, padInfo } = info;
  const top = filterHeight - 1 - padInfo.top;
  const left = filterWidth - 1 - padInfo.left;
  const bottom = inHeight - outHeight - top + filterHeight - 1;
  const right = inWidth - outWidth - left + filterWidth - 1;
  if (Math.min(top, left, bottom, right) < 0) return fallback();
  const b = backend as KernelBackend;
  const flipped = makeFloat32(
    b,
    [filterHeight, filterWidth, info.outChannels, info.inChannels],
    flippedTransposedFilter(b.readSync(filter.dataId) as Float32Array, filter.shape),
  );
  try {
    return conv2d({
      inputs: { x: dy, filter: flipped },
      backend: backend as tf.KernelBackend,
      attrs: {
        strides: 1,
        dilations: 1,
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    });
  } finally {
    b.disposeData(flipped.dataId);
  }
}

/**
 * Replaces the current backend's Conv2DBackpropInput by the forward-convolution form above, on wasm
 * only (the cpu backend's loop is what the test compares against; tfjs-node's is native). Idempotent.
 */
export function fastConv2dBackpropInput(): void {
  const backendName = tf.getBackend();
  if (backendName !== 'wasm') return;
  const current = tf.getKernel('Conv2DBackpropInput', backendName);
  const conv2d = tf.getKernel('Conv2D', backendName)?.kernelFunc;
  if (!current || !conv2d || patched.has(current.kernelFunc)) return;
  const original = current.kernelFunc;
  const kernelFunc = ((args: Parameters<tf.KernelFunc>[0]) =>
    conv2dBackpropInput(conv2d, original, args)) as tf.KernelFunc;
  patched.add(kernelFunc);
  tf.unregisterKernel('Conv2DBackpropInput', backendName);
  tf.registerKernel({ ...current, kernelFunc });
}

const patched = new WeakSet<tf.KernelFunc>();
