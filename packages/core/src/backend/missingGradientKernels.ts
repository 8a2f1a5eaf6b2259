import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Kernels that the gradients of a forward kernel call (from tfjs-core's gradient definitions),
 * listed where some backend lacks them: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter and no
 * depthwise backprop kernels.
 */
const backwardKernels: Record<string, string[]> = {
  Conv2D: ['Conv2DBackpropInput', 'Conv2DBackpropFilter'],
  FusedConv2D: ['Conv2DBackpropInput', 'Conv2DBackpropFilter'],
  Conv2DBackpropInput: ['Conv2D', 'Conv2DBackpropFilter'],
  DepthwiseConv2dNative: ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'],
  FusedDepthwiseConv2D: ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'],
  Conv3D: ['Conv3DBackpropInputV2', 'Conv3DBackpropFilterV2'],
  MaxPool: ['MaxPoolGrad'],
  AvgPool: ['AvgPoolGrad'],
  MaxPool3D: ['MaxPool3DGrad'],
  AvgPool3D: ['AvgPool3DGrad'],
  Elu: ['EluGrad'],
  LRN: ['LRNGrad'],
  ResizeBilinear: ['ResizeBilinearGrad'],
  ResizeNearestNeighbor: ['ResizeNearestNeighborGrad'],
};

/**
 * The gradient kernels training `model` needs that the current backend does not have, found by
 * profiling one forward pass. Asked before training because a failed gradient inside tfjs leaves
 * its engine recording a tape (tfjs 4.22), so "try and catch" is not an option.
 */
export async function missingGradientKernels(model: tfl.LayersModel): Promise<string[]> {
  const shape = model.inputs[0]!.shape.map((d) => d ?? 1);
  shape[0] = 1;
  return missingBackwardKernels(() => {
    model.apply(tf.zeros(shape), { training: true });
  });
}

/**
 * The kernels the gradients of `forward`'s ops need that the current backend does not have (from
 * one profiled run of `forward`, inside a tidy), or the forward kernel itself when it is missing.
 */
export async function missingBackwardKernels(forward: () => void): Promise<string[]> {
  const backend = tf.getBackend();
  let failure: unknown;
  // Caught inside the profiled function: a throw out of tf.profile would leave tfjs profiling.
  const { kernelNames } = await tf.profile(() => {
    try {
      tf.tidy(forward);
    } catch (error) {
      failure = error;
    }
  });
  if (failure !== undefined) {
    // A forward pass records no tape, so its failure leaves tfjs clean.
    const missing = /Kernel '(\w+)' not registered/.exec((failure as Error).message)?.[1];
    if (missing) return [missing];
    throw failure;
  }
  const needed = new Set(kernelNames.flatMap((name) => backwardKernels[name] ?? []));
  return [...needed].filter((name) => !tf.getKernel(name, backend));
}
