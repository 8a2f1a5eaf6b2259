import * as tf from '@tensorflow/tfjs-core';
import { float32Kernel, type KernelBackend } from './kernelBackend.ts';

const isNumber = (value: unknown): value is number => typeof value === 'number';
const isPair = (value: unknown): value is [number, number] =>
  Array.isArray(value) && value.length === 2 && value.every(isNumber);
const isSize = (value: unknown): value is [number, number] | number => isNumber(value) || isPair(value);
const isPad = (value: unknown): value is tf.MaxPoolGradAttrs['pad'] =>
  value === 'valid' ||
  value === 'same' ||
  isNumber(value) ||
  (Array.isArray(value) && value.length === 4 && value.every(isPair));
const isRounding = (value: unknown): value is tf.MaxPoolGradAttrs['dimRoundingMode'] =>
  value === undefined || value === 'floor' || value === 'round' || value === 'ceil';

/**
 * The op's attributes, checked: tfjs hands kernels a `NamedAttrMap`, whose declared values have no
 * room for explicit padding (pairs of pairs), so they cannot simply be taken as `MaxPoolGradAttrs`.
 */
function maxPoolGradAttrs(attrs: tf.NamedAttrMap | undefined): tf.MaxPoolGradAttrs {
  const { filterSize, strides, pad, dimRoundingMode } = attrs ?? {};
  if (!isSize(filterSize) || !isSize(strides) || !isPad(pad) || !isRounding(dimRoundingMode)) {
    throw new Error(`MaxPoolGrad: unexpected attributes ${JSON.stringify(attrs)}`);
  }
  return { filterSize, strides, pad, dimRoundingMode };
}

/**
 * The gradient of a 2-D max pool (NHWC): each window's `dy` goes to the first position holding the
 * window's maximum (as tfjs-backend-cpu's kernel does). One pass over the input with the channels
 * innermost, so it reads memory in order; tfjs-backend-wasm 4.22's kernel took ~1/5 of a step on the
 * Keras Fashion-MNIST CNN. Adds into `dx` (zeros unless given).
 */
export function maxPoolGradValues(
  input: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  dx: Float32Array = new Float32Array(input.length),
): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  // Offsets of the window's positions inside the input, for the current output cell.
  const window = new Int32Array(
    Math.ceil(effectiveFilterHeight / dilationHeight) * Math.ceil(effectiveFilterWidth / dilationWidth),
  );
  for (let n = 0; n < batchSize; n++)
    for (let oy = 0; oy < outHeight; oy++)
      for (let ox = 0; ox < outWidth; ox++) {
        let count = 0;
        for (let fr = 0; fr < effectiveFilterHeight; fr += dilationHeight) {
          const xr = oy * strideHeight + fr - top;
          if (xr < 0 || xr >= inHeight) continue;
          for (let fc = 0; fc < effectiveFilterWidth; fc += dilationWidth) {
            const xc = ox * strideWidth + fc - left;
            if (xc >= 0 && xc < inWidth) window[count++] = ((n * inHeight + xr) * inWidth + xc) * channels;
          }
        }
        if (count === 0) continue;
        const out = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          let at = window[0]! + c;
          let best = input[at]!;
          for (let k = 1; k < count; k++) {
            const value = input[window[k]! + c]!;
            if (value > best) {
              best = value;
              at = window[k]! + c;
            }
          }
          dx[at]! += dy[out + c]!;
        }
      }
  return dx;
}

function maxPoolGrad({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = maxPoolGradAttrs(attrs);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  return float32Kernel(backend as KernelBackend, input.shape, [input, dy], (dx, inputValues, dyValues) => {
    maxPoolGradValues(inputValues!, dyValues!, info, dx);
  });
}

/** Replaces the wasm backend's MaxPoolGrad by the kernel above. Idempotent. */
export function fastMaxPoolGrad(): void {
  const backendName = tf.getBackend();
  if (backendName !== 'wasm') return;
  const current = tf.getKernel('MaxPoolGrad', backendName);
  if (!current || current.kernelFunc === (maxPoolGrad as tf.KernelFunc)) return;
  tf.unregisterKernel('MaxPoolGrad', backendName);
  tf.registerKernel({ ...current, kernelFunc: maxPoolGrad as tf.KernelFunc });
}
