import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { ModelImportError } from './importError.ts';
import { formatBytes } from './importLimits.ts';

export interface ZipEntryRequest {
  name: string;
  /** Largest inflated size accepted, checked against the size the archive declares and the bytes it yields. */
  maxBytes: number;
  required: boolean;
}

export interface ZipEntryInfo {
  name: string;
  compressedBytes: number;
  declaredBytes: number;
  compression: number;
}

const MAX_ENTRIES = 10_000;
/**
 * An entry may inflate to at most this many times its compressed size once it is over
 * RATIO_CHECKED_FROM bytes (Apache POI's zip-bomb rule): trained float32 weights barely compress,
 * while a bomb of zeros inflates ~1000×, whether it declares that size honestly or not.
 */
const MAX_INFLATE_RATIO = 100;
const RATIO_CHECKED_FROM = 16 * 1024 ** 2;
/** Compressed bytes fed to the inflater at a time: bounds one output chunk (deflate expands ≤ 1032×). */
const PUSH_BYTES = 16 * 1024;
const STORED = 0;
const DEFLATE = 8;

/**
 * Reads the central directory of a zip archive without inflating anything (a truncated archive has
 * none and is rejected here).
 */
export function listZipEntries(bytes: Uint8Array, file: string): ZipEntryInfo[] {
  const entries: ZipEntryInfo[] = [];
  try {
    unzipSync(bytes, {
      filter(entry) {
        entries.push({
          name: entry.name,
          compressedBytes: entry.size,
          declaredBytes: entry.originalSize,
          compression: entry.compression,
        });
        if (entries.length > MAX_ENTRIES) throw new TooManyEntries();
        return false;
      },
    });
  } catch (error) {
    if (error instanceof TooManyEntries)
      throw new ModelImportError(
        file,
        `the zip archive has more than ${MAX_ENTRIES} entries; a .keras file has 3`,
      );
    throw new ModelImportError(
      file,
      `not a complete zip archive (${(error as Error).message}); the file may be truncated. ` +
        'Expected a .keras file as written by Keras 3 model.save()',
    );
  }
  return entries;
}

/**
 * Inflates the requested entries of a zip archive. Zip-bomb safe: each entry's declared size is
 * checked before inflating, and inflation stops as soon as an entry yields more bytes than it declared.
 */
export function readZipEntries(
  bytes: Uint8Array,
  file: string,
  requests: ZipEntryRequest[],
): Map<string, Uint8Array> {
  const entries = listZipEntries(bytes, file);
  const declared = new Map<string, number>();
  for (const request of requests) {
    const matches = entries.filter((e) => e.name === request.name);
    const entry = matches[0];
    if (!entry) {
      if (request.required)
        throw new ModelImportError(
          file,
          `the zip archive has no ${request.name}; found ${entries.map((e) => e.name).join(', ') || 'no entries'}. ` +
            'A .keras file holds config.json, metadata.json and model.weights.h5',
        );
      continue;
    }
    if (matches.length > 1)
      throw new ModelImportError(
        file,
        `the zip archive holds ${request.name} ${matches.length} times; expected once`,
      );
    if (entry.compression !== STORED && entry.compression !== DEFLATE)
      throw new ModelImportError(
        file,
        `${request.name} uses zip compression method ${entry.compression}; accepted: 0 (stored) and 8 (deflate)`,
      );
    if (entry.declaredBytes > request.maxBytes)
      throw new ModelImportError(
        file,
        `${request.name} would inflate to ${formatBytes(entry.declaredBytes)} (from ${formatBytes(entry.compressedBytes)}); ` +
          `the limit is ${formatBytes(request.maxBytes)}`,
      );
    if (
      entry.declaredBytes > RATIO_CHECKED_FROM &&
      entry.declaredBytes > MAX_INFLATE_RATIO * entry.compressedBytes
    )
      throw new ModelImportError(
        file,
        `${request.name} would inflate to ${formatBytes(entry.declaredBytes)} from ${formatBytes(entry.compressedBytes)} ` +
          `(${Math.round(entry.declaredBytes / Math.max(1, entry.compressedBytes))}×); refusing a zip bomb ` +
          `(entries over ${formatBytes(RATIO_CHECKED_FROM)} may inflate at most ${MAX_INFLATE_RATIO}×)`,
      );
    declared.set(request.name, entry.declaredBytes);
  }
  return inflateEntries(bytes, file, declared);
}

function inflateEntries(
  bytes: Uint8Array,
  file: string,
  declared: Map<string, number>,
): Map<string, Uint8Array> {
  const done = new Map<string, Uint8Array>();
  const unzip = new Unzip((entry) => {
    const limit = declared.get(entry.name);
    if (limit === undefined || done.has(entry.name)) return;
    const chunks: Uint8Array[] = [];
    let total = 0;
    entry.ondata = (error, chunk, final) => {
      if (error) throw new ModelImportError(file, `${entry.name} is corrupt: ${error.message}`);
      total += chunk.length;
      if (total > limit)
        throw new ModelImportError(
          file,
          `${entry.name} inflates to more than the ${formatBytes(limit)} its header declares; refusing a zip bomb`,
        );
      chunks.push(chunk);
      if (final) done.set(entry.name, concat(chunks, total));
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < bytes.length; offset += PUSH_BYTES) {
      const end = Math.min(offset + PUSH_BYTES, bytes.length);
      unzip.push(bytes.subarray(offset, end), end === bytes.length);
    }
  } catch (error) {
    if (error instanceof ModelImportError) throw error;
    throw new ModelImportError(file, `the zip archive is corrupt: ${(error as Error).message}`);
  }
  for (const [name, size] of declared) {
    const data = done.get(name);
    if (!data || data.length !== size)
      throw new ModelImportError(
        file,
        `${name} is truncated: ${data?.length ?? 'fewer'} bytes inflated, ${size} declared`,
      );
  }
  return done;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

class TooManyEntries extends Error {}
