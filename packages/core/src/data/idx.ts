import { ArgmaxError } from '../errors.ts';

/** An unsigned-byte IDX array (the MNIST file format): its dimensions and a view of its data. */
export interface IdxBytes {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses an IDX file of unsigned bytes (magic `0x00 0x00 0x08 <rank>`, then `rank` big-endian uint32
 * sizes, then the data). `data` is a view into `bytes`, not a copy.
 */
export function parseIdxBytes(bytes: Uint8Array, file: string): IdxBytes {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4 || view.getUint16(0) !== 0 || view.getUint8(2) !== 0x08)
    throw new ArgmaxError(`${file}: not an unsigned-byte IDX file (bad magic number)`);
  const rank = view.getUint8(3);
  const header = 4 + 4 * rank;
  if (bytes.byteLength < header) throw new ArgmaxError(`${file}: IDX header is truncated`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== header + size)
    throw new ArgmaxError(
      `${file}: IDX dimensions [${dims.join(', ')}] need ${header + size} bytes; the file has ${bytes.byteLength}`,
    );
  return { dims, data: bytes.subarray(header) };
}
