import * as tf from '@tensorflow/tfjs-core';
import { UnsupportedError } from '../errors.ts';
import { type KernelBackend, makeFloat32 } from './kernelBackend.ts';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Most values of one im2col block (64 MiB): larger batches are done a few examples at a time. */
const maxPatchValues = 2 ** 24;

/**
 * The filter gradient of a 2-D convolution (NHWC, no dilation) as one matrix product per block of
 * examples: `dW[(fr, fc, ci), co] = Σ_row patches[(fr, fc, ci), row] · dy[row, co]`, where row runs
 * over (example, output y, output x) and the patches (im2col, stored transposed) are gathered in JS;
 * the product runs on the backend's own BatchMatMul kernel (wasm's is ~30× slower with transposeA).
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, and tfjs asks for it even when only the input
 * gradient is wanted (its fused convolution computes every gradient eagerly). On the 224×224
 * Darknet-tiny this takes ~0.15 s per example, the plain JS loop it replaces ~4 s.
 */
function conv2dBackpropFilter(
  batchMatMul: tf.KernelFunc,
  { inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown },
): tf.TensorInfo {
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
  const b = backend as KernelBackend;
  const xs = b.readSync(x.dataId) as Float32Array;
  const dys = b.readSync(dy.dataId) as Float32Array;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  const rowsPerExample = outHeight * outWidth;
  const block = Math.max(1, Math.min(batchSize, Math.floor(maxPatchValues / (rowsPerExample * k))));
  const dw = new Float32Array(k * outChannels);
  for (let first = 0; first < batchSize; first += block) {
    const examples = Math.min(block, batchSize - first);
    const rows = examples * rowsPerExample;
    // Padding positions stay 0.
    const patches = new Float32Array(rows * k);
    for (let n = 0; n < examples; n++)
      for (let yr = 0; yr < outHeight; yr++)
        for (let yc = 0; yc < outWidth; yc++) {
          const row = (n * outHeight + yr) * outWidth + yc;
          for (let fr = 0; fr < filterHeight; fr++) {
            const xr = yr * strideHeight + fr - top;
            if (xr < 0 || xr >= inHeight) continue;
            for (let fc = 0; fc < filterWidth; fc++) {
              const xc = yc * strideWidth + fc - left;
              if (xc < 0 || xc >= inWidth) continue;
              const from = (((first + n) * inHeight + xr) * inWidth + xc) * inChannels;
              const to = (fr * filterWidth + fc) * inChannels * rows + row;
              for (let ci = 0; ci < inChannels; ci++) patches[to + ci * rows] = xs[from + ci]!;
            }
          }
        }
    const dyBlock = dys.subarray(
      first * rowsPerExample * outChannels,
      (first + examples) * rowsPerExample * outChannels,
    );
    const a = makeFloat32(b, [1, k, rows], patches);
    const g = makeFloat32(b, [1, rows, outChannels], Float32Array.from(dyBlock));
    const product = batchMatMul({
      inputs: { a, b: g },
      backend: backend as tf.KernelBackend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    const part = b.readSync(product.dataId) as Float32Array;
    for (const t of [a, g, product]) b.disposeData(t.dataId);
    for (let i = 0; i < dw.length; i++) dw[i]! += part[i]!;
  }
  return makeFloat32(b, filterShape, dw);
}

/**
 * Registers this Conv2DBackpropFilter kernel on the current backend when it has none (and has the
 * BatchMatMul it builds on, as every tfjs backend does).
 */
export function provideConv2dBackpropFilter(): void {
  const backendName = tf.getBackend();
  if (tf.getKernel('Conv2DBackpropFilter', backendName)) return;
  const batchMatMul = tf.getKernel('BatchMatMul', backendName)?.kernelFunc;
  if (!batchMatMul) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ((args: Parameters<tf.KernelFunc>[0]) =>
      conv2dBackpropFilter(batchMatMul, args)) as tf.KernelFunc,
  });
}
