import type * as tf from '@tensorflow/tfjs-core';

/** What argmax's kernel patches need from a backend: read their inputs, make float32 outputs, free them. */
export interface KernelBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  /** wasm: an output in its heap. */
  makeOutput?(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
  /** cpu and the rest. */
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
  disposeData(dataId: object): void;
}

/** A float32 tensor of `values`, the way this backend makes its outputs. */
export function makeFloat32(backend: KernelBackend, shape: number[], values: Float32Array): tf.TensorInfo {
  return backend.makeOutput
    ? backend.makeOutput(shape, 'float32', undefined, values)
    : backend.makeTensorInfo(shape, 'float32', values);
}
