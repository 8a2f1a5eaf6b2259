import * as tf from '@tensorflow/tfjs-core';

/**
 * A Dense layer's weights prepared for input-gradient work: the kernel as the fused kernel wants it
 * and its transpose, both resident.
 *
 * Why the transpose: autograd's MatMul gradient for the input is `dy · kernelᵀ` computed with
 * `transposeB`, which the wasm backend runs ~10× slower than a plain product (measured: 9.1 ms vs
 * 0.85 ms for a 64×128 by 128×784 product). Keeping the transpose and writing the gradient by hand
 * keeps a batch step cheap.
 */
export interface DenseKernel {
  /** `[1, in, out]`: the batched layout the fused kernel takes. */
  kernel3d: tf.Tensor3D;
  kernelT: tf.Tensor2D;
  bias?: tf.Tensor1D;
  dispose(): void;
}

export function prepareDenseKernel(kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined): DenseKernel {
  const kernel3d = tf.reshape(kernel, [1, ...kernel.shape]) as tf.Tensor3D;
  const kernelT = tf.transpose(kernel);
  return { kernel3d, kernelT, ...(bias ? { bias } : {}), dispose: () => tf.dispose([kernel3d, kernelT]) };
}

/**
 * `relu?(x · kernel + bias)` as one fused kernel, differentiable with respect to `x` only (nothing
 * trains the weights here). The kernel is called directly because `tf.fused.matMul` unfuses relu
 * whenever a gradient is being recorded.
 */
export function denseForward(x: tf.Tensor2D, dense: DenseKernel, relu: boolean): tf.Tensor2D {
  const [batch, units] = [x.shape[0], dense.kernelT.shape[0]];
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const y3d = tf.engine().runKernel(
      '_FusedMatMul',
      {
        a: tf.reshape(input, [1, ...input.shape]),
        b: dense.kernel3d,
        ...(dense.bias ? { bias: dense.bias } : {}),
      },
      { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear' },
    ) as tf.Tensor3D;
    const y = tf.reshape(y3d, [batch, units]);
    if (relu) save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const masked = relu ? tf.mul(dy, tf.step(saved[0]!)) : dy;
        return tf.matMul(masked as tf.Tensor2D, dense.kernelT);
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor2D;
}
