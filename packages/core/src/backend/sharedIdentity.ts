import * as tf from '@tensorflow/tfjs-core';

interface RefCountedBackend {
  incRef(dataId: object): void;
}

/** wasm's backend counts references to its data (`incRef`); a backend without it is left alone. */
function isRefCounted(backend: unknown): backend is RefCountedBackend {
  return typeof (backend as Partial<RefCountedBackend> | null)?.incRef === 'function';
}

/**
 * Identity that shares its input's data (one more reference) instead of copying it, as
 * tfjs-backend-cpu's does and wasm's own Reshape does. tfjs clones every output a gradient will need
 * (`saveTensorsForBackwardMode`), and wasm 4.22's Identity copies: on the Keras Fashion-MNIST CNN
 * those copies of the convolutions' activations took ~7 % of a step. Kernels never write into their
 * inputs, so sharing is safe. Strings keep the original kernel.
 */
function sharedIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string' || !isRefCounted(args.backend)) return original(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** Replaces the wasm backend's Identity by the sharing one above. Idempotent. */
export function shareWasmIdentity(): void {
  const backendName = tf.getBackend();
  if (backendName !== 'wasm') return;
  const current = tf.getKernel('Identity', backendName);
  if (!current || patched.has(current.kernelFunc)) return;
  const kernelFunc = sharedIdentity(current.kernelFunc);
  patched.add(kernelFunc);
  tf.unregisterKernel('Identity', backendName);
  tf.registerKernel({ ...current, kernelFunc });
}

const patched = new WeakSet<tf.KernelFunc>();
