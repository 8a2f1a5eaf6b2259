import { Dataset, File, Group, ready } from 'h5wasm';
import { ModelImportError } from './importError.ts';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** h5py's type classes (Metadata.type): integer 0, float 1. */
const H5T_FLOAT = 1;

/** HDF5's superblock sits at byte 0 or, after a user block, at 512, 1024, 2048, ... */
export function isHdf5(bytes: Uint8Array): boolean {
  for (let offset = 0; offset + SIGNATURE.length <= bytes.length; offset = offset === 0 ? 512 : offset * 2)
    if (SIGNATURE.every((b, i) => bytes[offset + i] === b)) return true;
  return false;
}

export interface Hdf5Dataset {
  path: string;
  shape: number[];
  /** `float16`, `float32`, `float64`, or a description of anything else. */
  dtype: string;
  /** Reads the values as float32 (only call after checking shape and dtype). */
  read(): Float32Array;
}

let openCount = 0;

/**
 * The HDF5 library prints its whole error stack (dozens of lines) to stderr by default. h5wasm can
 * instead throw it as the message of a JS error, which `hdf5Failure` shortens to its innermost cause.
 */
async function readyQuiet(): Promise<Awaited<typeof ready>> {
  const module = await ready;
  if (!quiet) {
    module.activate_throwing_error_handler();
    quiet = true;
  }
  return module;
}
let quiet = false;

/** The innermost frame of an HDF5 error stack ("truncated file: eof = 4096, ..."), or the message. */
export function hdf5Failure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const frames = [...message.matchAll(/#\d+: .* in [\w.]+\(\): (.*)/g)];
  return (frames.at(-1)?.[1] ?? message.split('\n')[0] ?? '').trim();
}

/**
 * Read-only view of an HDF5 file held in memory, through h5wasm (the HDF5 C library compiled to wasm).
 * h5wasm works on its own in-memory file system: each open file gets a unique name there and is
 * removed again by `close()`.
 */
export class Hdf5File {
  private constructor(
    private readonly h5: File,
    private readonly fsPath: string,
    private readonly unlink: (path: string) => void,
    readonly file: string,
  ) {}

  static async open(bytes: Uint8Array, file: string): Promise<Hdf5File> {
    if (!isHdf5(bytes))
      throw new ModelImportError(
        file,
        'not an HDF5 file (no HDF5 signature); expected a Keras .h5 file or model.weights.h5 written by Keras',
      );
    const { FS } = await readyQuiet();
    const fsPath = `/argmax-import-${process.pid}-${++openCount}.h5`;
    FS.writeFile(fsPath, bytes);
    try {
      const h5 = new File(fsPath, 'r');
      if (!h5.file_id || h5.file_id < 0n) throw new Error('HDF5 could not open it');
      return new Hdf5File(h5, fsPath, (p) => FS.unlink(p), file);
    } catch (error) {
      FS.unlink(fsPath);
      throw new ModelImportError(file, `HDF5 data is corrupt or truncated (${hdf5Failure(error)})`);
    }
  }

  close(): void {
    this.h5.close();
    this.unlink(this.fsPath);
  }

  /** Names inside a group, or undefined when `path` is not a group. */
  groupKeys(path: string): string[] | undefined {
    const entity = this.entity(path);
    return entity instanceof Group ? this.guard(`group ${path}`, () => entity.keys()) : undefined;
  }

  /** An attribute decoded to a string (h5py stores Keras JSON as fixed or variable-length bytes). */
  stringAttribute(path: string, name: string): string | undefined {
    const value = this.attributeValue(path, name);
    if (value === undefined) return undefined;
    return asString(value);
  }

  /** A list-of-strings attribute (`layer_names`, `weight_names`); an empty attribute is an empty list. */
  stringListAttribute(path: string, name: string): string[] | undefined {
    const value = this.attributeValue(path, name);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.map(asString);
    if (ArrayBuffer.isView(value) && (value as Float64Array).length === 0) return [];
    throw new ModelImportError(this.file, `attribute ${name} of ${path} is not a list of names`);
  }

  dataset(path: string): Hdf5Dataset | undefined {
    const entity = this.entity(path);
    if (!(entity instanceof Dataset)) return undefined;
    const metadata = this.guard(`dataset ${path}`, () => entity.metadata);
    const dtype =
      metadata.type === H5T_FLOAT && [2, 4, 8].includes(metadata.size)
        ? `float${metadata.size * 8}`
        : `HDF5 type class ${metadata.type} of ${metadata.size} bytes`;
    return {
      path,
      shape: entity.shape ?? [],
      dtype,
      read: () => {
        const value = this.guard(`dataset ${path}`, () => entity.value);
        if (value instanceof Float32Array) return value;
        if (value instanceof Float64Array) return Float32Array.from(value);
        if (typeof value === 'number') return Float32Array.of(value);
        throw new ModelImportError(this.file, `dataset ${path} could not be read as numbers (${dtype})`);
      },
    };
  }

  /** The object at `path`, null when there is none. */
  private entity(path: string) {
    return path === '/' ? this.h5 : this.guard(path, () => this.h5.get(path));
  }

  private attributeValue(path: string, name: string): unknown {
    const entity = this.entity(path);
    if (!entity || !('attrs' in entity)) return undefined;
    return this.guard(`attribute ${name} of ${path}`, () => {
      const attribute = entity.attrs[name];
      return attribute ? attribute.value : undefined;
    });
  }

  /** Damaged data makes HDF5 fail on reading, not only on opening. */
  private guard<T>(what: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw new ModelImportError(this.file, `${what} is corrupt: ${hdf5Failure(error)}`);
    }
  }
}

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}
