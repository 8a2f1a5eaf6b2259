import { InvalidArgumentError } from '@argmax/core/errors';

/** Inputs are stored as float32 little-endian bytes, whatever the machine's byte order. */
export function float32ToBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

export function bytesToFloat32(bytes: Uint8Array, what = 'input'): Float32Array {
  if (bytes.byteLength % 4 !== 0)
    throw new InvalidArgumentError(what, bytes, 'a multiple of 4 bytes (float32 little-endian)');
  const values = new Float32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
