import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isHdf5 } from './hdf5File.ts';
import { ModelImportError } from './importError.ts';
import { formatBytes, type ImportLimits } from './importLimits.ts';
import type { SiblingFiles } from './siblingFiles.ts';

export type ModelFormat = 'keras3' | 'keras-h5' | 'tfjs-layers';

/** A path to a `.keras`, `.h5`, `model.json` or a folder holding one; or uploaded files by name. */
export type ModelSource = string | { files: Map<string, Uint8Array> };

export interface ResolvedSource {
  format: ModelFormat;
  /** The name the user knows the model file by. */
  file: string;
  bytes: Uint8Array;
  siblings: SiblingFiles;
}

/** Finds the model file in a source and tells its format from its first bytes, not its name. */
export async function resolveSource(source: ModelSource, limits: ImportLimits): Promise<ResolvedSource> {
  return typeof source === 'string' ? resolvePath(source, limits) : resolveUpload(source.files, limits);
}

export function sniffFormat(bytes: Uint8Array): ModelFormat | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)) return 'keras3';
  if (isHdf5(bytes)) return 'keras-h5';
  for (const b of bytes.subarray(0, 64)) {
    if (b === 0x7b) return 'tfjs-layers'; // '{'
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf) break;
  }
  return undefined;
}

async function resolvePath(path: string, limits: ImportLimits): Promise<ResolvedSource> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new ModelImportError(basename(path), `no such file or folder: ${path}`);
  }
  if (info.isDirectory()) {
    const names = await readdir(path);
    const candidates = names.includes('model.json')
      ? ['model.json']
      : names.filter((n) => /\.(keras|h5|hdf5)$/i.test(n));
    if (candidates.length !== 1)
      throw new ModelImportError(
        basename(path),
        candidates.length === 0
          ? 'the folder holds no model.json, .keras or .h5 file'
          : `the folder holds several model files (${candidates.join(', ')}); name one`,
      );
    return resolvePath(join(path, candidates[0] as string), limits);
  }
  const file = basename(path);
  if (info.size > limits.maxFileBytes)
    throw new ModelImportError(
      file,
      `is ${formatBytes(info.size)}; the limit is ${formatBytes(limits.maxFileBytes)}`,
    );
  if (/\.json$/i.test(file) && info.size > limits.maxJsonBytes)
    throw new ModelImportError(
      file,
      `is ${formatBytes(info.size)} of JSON; the limit is ${formatBytes(limits.maxJsonBytes)}`,
    );
  const bytes = new Uint8Array(await readFile(path));
  const folder = dirname(path);
  const siblings: SiblingFiles = {
    async size(name) {
      try {
        const s = await stat(join(folder, name));
        return s.isFile() ? s.size : undefined;
      } catch {
        return undefined;
      }
    },
    read: async (name) => new Uint8Array(await readFile(join(folder, name))),
  };
  return { format: formatOf(bytes, file), file, bytes, siblings };
}

function resolveUpload(files: Map<string, Uint8Array>, limits: ImportLimits): ResolvedSource {
  if (files.size === 0) throw new ModelImportError('upload', 'no files were uploaded');
  for (const [name, bytes] of files)
    if (bytes.length > limits.maxFileBytes)
      throw new ModelImportError(
        name,
        `is ${formatBytes(bytes.length)}; the limit is ${formatBytes(limits.maxFileBytes)}`,
      );
  const sniffed = [...files].map(([name, bytes]) => ({ name, bytes, format: sniffFormat(bytes) }));
  const models = sniffed.filter((f) => f.format === 'keras3' || f.format === 'keras-h5' || isModelJson(f));
  const chosen = models.length === 1 ? models[0] : files.size === 1 ? sniffed[0] : undefined;
  if (!chosen)
    throw new ModelImportError(
      'upload',
      models.length === 0
        ? `none of ${[...files.keys()].join(', ')} is a model file; expected a .keras, an .h5, or a model.json with its weight shards`
        : `several model files were uploaded (${models.map((m) => m.name).join(', ')}); upload one model at a time`,
    );
  const byBase = new Map([...files].map(([name, bytes]) => [basename(name), bytes]));
  const lookup = (name: string) => files.get(name) ?? byBase.get(basename(name));
  return {
    format: formatOf(chosen.bytes, chosen.name),
    file: basename(chosen.name),
    bytes: chosen.bytes,
    siblings: {
      size: async (name) => lookup(name)?.length,
      read: async (name) => lookup(name) ?? new Uint8Array(0),
    },
  };
}

function isModelJson(file: { name: string; bytes: Uint8Array; format: ModelFormat | undefined }): boolean {
  if (file.format !== 'tfjs-layers') return false;
  // Cheap test on the start of the text: shards are binary and other JSON (a manifest) lacks the key.
  const head = new TextDecoder().decode(file.bytes.subarray(0, 4096));
  return head.includes('"modelTopology"') || /model\.json$/i.test(file.name);
}

function formatOf(bytes: Uint8Array, file: string): ModelFormat {
  const format = sniffFormat(bytes);
  if (format) return format;
  const start = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const expected = /\.(h5|hdf5)$/i.test(file)
    ? 'not an HDF5 file (no HDF5 signature); a Keras .h5 file starts with 89 48 44 46'
    : /\.keras$/i.test(file)
      ? 'not a zip archive; a Keras 3 .keras file starts with 50 4b 03 04'
      : 'not a Keras .keras (zip), Keras .h5 (HDF5) or TF.js model.json file';
  throw new ModelImportError(file, `${expected} (it starts with ${start || 'nothing: it is empty'})`);
}
