import * as tf from '@tensorflow/tfjs-core';
import { UnsupportedError } from '../errors.ts';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** What this kernel needs from a backend: read its inputs, make its output. */
interface OutputBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput?(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

/**
 * The filter gradient of a 2-D convolution (NHWC, no dilation), in plain JS:
 * `dW[fr, fc, ci, co] = Σ x[b, y·s + fr − pad, x·s + fc − pad, ci] · dy[b, y, x, co]`.
 * tfjs-backend-wasm 4.22 has no such kernel, which made every Conv2D model fall back to the cpu
 * backend, whose implementation takes ~1.6 s per batch of 32 for the small CNN; this takes a few ms.
 */
function conv2dBackpropFilter({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: unknown;
}): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC')
    throw new UnsupportedError(`Conv2DBackpropFilter: data format ${dataFormat}; only NHWC`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const b = backend as OutputBackend;
  const xs = b.readSync(x.dataId) as Float32Array;
  const dys = b.readSync(dy.dataId) as Float32Array;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dw = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let n = 0; n < batchSize; n++)
    for (let yr = 0; yr < outHeight; yr++)
      for (let yc = 0; yc < outWidth; yc++) {
        const dyBase = ((n * outHeight + yr) * outWidth + yc) * outChannels;
        for (let fr = 0; fr < filterHeight; fr++) {
          const xr = yr * strideHeight + fr - top;
          if (xr < 0 || xr >= inHeight) continue;
          for (let fc = 0; fc < filterWidth; fc++) {
            const xc = yc * strideWidth + fc - left;
            if (xc < 0 || xc >= inWidth) continue;
            const xBase = ((n * inHeight + xr) * inWidth + xc) * inChannels;
            const wBase = (fr * filterWidth + fc) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xv = xs[xBase + ci]!;
              if (xv === 0) continue;
              const w = wBase + ci * outChannels;
              for (let co = 0; co < outChannels; co++) dw[w + co]! += xv * dys[dyBase + co]!;
            }
          }
        }
      }
  return b.makeOutput
    ? b.makeOutput(filterShape, 'float32', undefined, dw)
    : b.makeTensorInfo(filterShape, 'float32', dw);
}

/** Registers the JS Conv2DBackpropFilter kernel on the current backend when it has none. */
export function provideConv2dBackpropFilter(): void {
  const backendName = tf.getBackend();
  if (tf.getKernel('Conv2DBackpropFilter', backendName)) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: conv2dBackpropFilter as tf.KernelFunc,
  });
}
