import type * as tf from '@tensorflow/tfjs-core';

/** What argmax's kernel patches need from a backend: read their inputs, make float32 outputs, free them. */
export interface KernelBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  /** wasm: an output in its heap. */
  makeOutput?(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
  /** cpu and the rest. */
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
  disposeData(dataId: object): void;
  /** wasm: a view of a tensor's values in its heap (no copy; valid until the heap grows). */
  typedArrayFromHeap?(info: tf.TensorInfo): tf.backend_util.TypedArray;
}

/** A float32 tensor of `values`, the way this backend makes its outputs. */
export function makeFloat32(backend: KernelBackend, shape: number[], values: Float32Array): tf.TensorInfo {
  return backend.makeOutput
    ? backend.makeOutput(shape, 'float32', undefined, values)
    : backend.makeTensorInfo(shape, 'float32', values);
}

/**
 * A float32 output of `shape` whose values `fill` writes, from `inputs` read as float32: on wasm,
 * straight in and out of its heap (copying a CNN's activations out and back took more time than the
 * kernel itself); elsewhere through copies. `fill` gets a zeroed output.
 */
export function float32Kernel(
  backend: KernelBackend,
  shape: number[],
  inputs: tf.TensorInfo[],
  fill: (output: Float32Array, ...inputs: Float32Array[]) => void,
): tf.TensorInfo {
  if (backend.makeOutput && backend.typedArrayFromHeap) {
    const out = backend.makeOutput(shape, 'float32');
    // Views taken after the allocation, which may grow (and so move) the heap.
    const views = inputs.map((info) => backend.typedArrayFromHeap!(info) as Float32Array);
    const output = backend.typedArrayFromHeap(out) as Float32Array;
    output.fill(0);
    fill(output, ...views);
    return out;
  }
  const output = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fill(output, ...inputs.map((info) => backend.readSync(info.dataId) as Float32Array));
  return makeFloat32(backend, shape, output);
}
