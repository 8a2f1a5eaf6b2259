/**
 * Helpers for the import tests: fixture bytes, and writing/editing Keras files (zip + HDF5) so bad
 * inputs are made from the good fixtures inside the tests. Not used by library code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { File, type Group, ready } from 'h5wasm';

export const fixturesDir = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(`${fixturesDir}${path}`));
}

export interface Hdf5Spec {
  /** Attributes by group path ('/' for the root). */
  attributes?: Record<string, Record<string, string | string[]>>;
  datasets: { path: string; values: Float32Array; shape: number[] }[];
}

let scratch = 0;

/** Writes an HDF5 file with h5wasm and returns its bytes. */
export async function writeHdf5(spec: Hdf5Spec): Promise<Uint8Array> {
  const { FS } = await ready;
  const path = `/argmax-test-${process.pid}-${++scratch}.h5`;
  const file = new File(path, 'w');
  const group = (groupPath: string): Group => {
    let g: Group = file;
    for (const part of groupPath.split('/').filter(Boolean))
      g = (g.get(part) as Group | null) ?? g.create_group(part);
    return g;
  };
  for (const { path: p, values, shape } of spec.datasets) {
    const parts = p.split('/');
    group(parts.slice(0, -1).join('/')).create_dataset({
      name: parts[parts.length - 1] as string,
      data: values,
      shape,
    });
  }
  for (const [groupPath, attributes] of Object.entries(spec.attributes ?? {}))
    for (const [name, value] of Object.entries(attributes)) group(groupPath).create_attribute(name, value);
  file.close();
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return bytes;
}

/** Copies an HDF5 file, lets `edit` change it in place (mode 'a'), and returns the new bytes. */
export async function editHdf5(bytes: Uint8Array, edit: (file: File) => void): Promise<Uint8Array> {
  const { FS } = await ready;
  const path = `/argmax-test-${process.pid}-${++scratch}.h5`;
  FS.writeFile(path, bytes);
  const file = new File(path, 'a');
  try {
    edit(file);
  } finally {
    file.close();
  }
  const out = FS.readFile(path);
  FS.unlink(path);
  return out;
}

/** Reads datasets with h5wasm directly (independently of the importer's reader). */
export async function readHdf5Arrays(bytes: Uint8Array, paths: string[]): Promise<Float32Array[]> {
  const { FS } = await ready;
  const path = `/argmax-test-${process.pid}-${++scratch}.h5`;
  FS.writeFile(path, bytes);
  const file = new File(path, 'r');
  try {
    return paths.map((p) => {
      const dataset = file.get(p) as { value: unknown } | null;
      if (!dataset || !(dataset.value instanceof Float32Array)) throw new Error(`no float32 dataset ${p}`);
      return dataset.value;
    });
  } finally {
    file.close();
    FS.unlink(path);
  }
}

export interface KerasArchiveParts {
  config: unknown;
  weights: Uint8Array;
  metadata?: unknown;
}

export function readKerasArchive(bytes: Uint8Array): KerasArchiveParts {
  const files = unzipSync(bytes);
  return {
    config: JSON.parse(strFromU8(files['config.json'] as Uint8Array)),
    metadata: JSON.parse(strFromU8(files['metadata.json'] as Uint8Array)),
    weights: files['model.weights.h5'] as Uint8Array,
  };
}

/** A `.keras` zip as Keras 3 writes it (entries stored, not deflated). */
export function writeKerasArchive(parts: KerasArchiveParts): Uint8Array {
  return zipSync(
    {
      'metadata.json': strToU8(
        JSON.stringify(parts.metadata ?? { keras_version: '3.4.1', date_saved: 'test' }),
      ),
      'config.json': strToU8(typeof parts.config === 'string' ? parts.config : JSON.stringify(parts.config)),
      'model.weights.h5': parts.weights,
    },
    { level: 0 },
  );
}
