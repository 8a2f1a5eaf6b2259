/**
 * Bad model files made from the good fixtures, one per kind of bad input the importer must refuse,
 * with the message each must be refused with. Shared by the core import tests and the server's upload
 * tests, so both check the same files. Test helper, not used by library code.
 */

import { zipSync } from 'fflate';
import type { File } from 'h5wasm';
import { editHdf5, fixtureBytes, readKerasArchive, writeKerasArchive } from './testSupport.ts';

export const kerasFixture = 'keras3-fashion-mnist-cnn/fashion_mnist.keras';
export const h5Fixture = 'keras-h5-mnist-mlp/mnist.h5';
const utf8 = (text: string) => new TextEncoder().encode(text);

export type KerasConfig = {
  config: {
    layers: {
      class_name: string;
      config: Record<string, unknown>;
      registered_name?: unknown;
      module?: unknown;
    }[];
  };
};
export type TfjsJson = {
  modelTopology: {
    config: { layers: { class_name: string; name: string; config: Record<string, unknown> }[] };
  };
  weightsManifest: { paths: string[] }[];
};
/** Uploaded files by name, in upload order. */
export type NamedFiles = [string, Uint8Array][];

/** The Keras 3 fixture with its config.json edited (and its weights replaced, if given). */
export function kerasWith(edit: (config: KerasConfig) => void, weights?: Uint8Array): Uint8Array {
  const parts = readKerasArchive(fixtureBytes(kerasFixture));
  edit(parts.config as KerasConfig);
  return writeKerasArchive({ ...parts, weights: weights ?? parts.weights });
}

/** The TF.js MLP fixture with its model.json edited, and its shard (or the given bytes as the shard). */
export function tfjsFilesWith(
  edit: (json: TfjsJson) => void,
  weights = fixtureBytes('tfjs-mnist-mlp/weights.bin'),
): NamedFiles {
  const json = JSON.parse(new TextDecoder().decode(fixtureBytes('tfjs-mnist-mlp/model.json'))) as TfjsJson;
  edit(json);
  return [
    ['model.json', utf8(JSON.stringify(json))],
    ['weights.bin', weights],
  ];
}

/** Replaces the legacy .h5 fixture's `model_config` attribute with `edit(text)`. */
export function editModelConfig(file: File, edit: (text: string) => string): void {
  const text = file.attrs.model_config?.value as string;
  file.delete_attribute('model_config');
  file.create_attribute('model_config', edit(text));
}

/** Sets the size a zip entry declares, in its local header and in the central directory. */
export function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const nameBytes = utf8(name);
  const nameAt = (offset: number) => nameBytes.every((b, i) => out[offset + i] === b);
  for (let i = 0; i + 46 < out.length; i++) {
    const signature = view.getUint32(i, true);
    if (signature === 0x04034b50 && view.getUint16(i + 26, true) === nameBytes.length && nameAt(i + 30))
      view.setUint32(i + 22, size, true);
    if (signature === 0x02014b50 && view.getUint16(i + 28, true) === nameBytes.length && nameAt(i + 46))
      view.setUint32(i + 24, size, true);
  }
  return out;
}

/** A .keras whose model.weights.h5 is `size` zero bytes, deflated (~1000× smaller). */
function zerosKeras(size: number): Uint8Array {
  const { config } = readKerasArchive(fixtureBytes(kerasFixture));
  return zipSync(
    { 'config.json': utf8(JSON.stringify(config)), 'model.weights.h5': new Uint8Array(size) },
    { level: 1 },
  );
}

export interface BadModelFile {
  /** What is wrong with it, as a test title. */
  name: string;
  build(): Promise<NamedFiles>;
  /** The core error it is refused with (the server answers BAD_USER_INPUT with its message). */
  error: 'ModelImportError' | 'UnsupportedError' | 'NonFiniteError';
  /** What the refusal must say. */
  message: RegExp;
}

/** One bad file per case the issue names: each built only when a test asks for it. */
export const badModelFiles: BadModelFile[] = [
  {
    name: 'an unsupported layer (Lambda), named with its class and the supported list',
    build: async () =>
      tfjsFilesWith((json) => {
        const flatten = json.modelTopology.config.layers[1];
        if (flatten) flatten.class_name = 'Lambda';
      }),
    error: 'UnsupportedError',
    message:
      /"nnv_Flatten_1" \(Lambda\): layer class not supported[\s\S]*Supported layers: InputLayer, Dense,/,
  },
  {
    name: 'an unsupported layer in a legacy .h5 (Lambda)',
    build: async () => [
      [
        'mnist.h5',
        await editHdf5(fixtureBytes(h5Fixture), (file) =>
          editModelConfig(file, (t) => t.replace('"class_name": "Flatten"', '"class_name": "Lambda"')),
        ),
      ],
    ],
    error: 'UnsupportedError',
    message: /\(Lambda\): layer class not supported[\s\S]*Supported layers: InputLayer,/,
  },
  {
    name: 'a truncated .keras zip',
    build: async () => {
      const bytes = fixtureBytes(kerasFixture);
      return [['fashion_mnist.keras', bytes.subarray(0, bytes.length >> 1)]];
    },
    error: 'ModelImportError',
    message: /fashion_mnist\.keras: not a complete zip archive .*truncated/,
  },
  {
    name: 'a truncated .h5',
    build: async () => [['mnist.h5', fixtureBytes(h5Fixture).subarray(0, 4096)]],
    error: 'ModelImportError',
    message: /mnist\.h5: HDF5 data is corrupt or truncated \(truncated file: eof = 4096, /,
  },
  {
    name: 'a .keras whose model.weights.h5 is truncated',
    build: async () => {
      const parts = readKerasArchive(fixtureBytes(kerasFixture));
      const weights = parts.weights.subarray(0, parts.weights.length >> 1);
      return [['fashion_mnist.keras', writeKerasArchive({ ...parts, weights })]];
    },
    error: 'ModelImportError',
    message:
      /fashion_mnist\.keras: model\.weights\.h5: HDF5 data is corrupt or truncated \(truncated file: eof = \d+/,
  },
  {
    name: 'a .keras whose model.weights.h5 is damaged inside',
    build: async () => {
      const parts = readKerasArchive(fixtureBytes(kerasFixture));
      const weights = parts.weights.slice();
      for (let i = 2048; i < weights.length; i += 97) weights[i] = (weights[i] as number) ^ 0x5a;
      return [['fashion_mnist.keras', writeKerasArchive({ ...parts, weights })]];
    },
    error: 'ModelImportError',
    message: /fashion_mnist\.keras: model\.weights\.h5: \/layers\/conv2d\/vars is corrupt: /,
  },
  {
    name: 'a file named .h5 that is not HDF5',
    build: async () => [['model.h5', utf8('<html>404 not found</html>')]],
    error: 'ModelImportError',
    message: /model\.h5: not an HDF5 file .*starts with 3c 68 74 6d/,
  },
  {
    name: 'a shape mismatch between config and weights (.keras Dense resized)',
    build: async () => [
      [
        'resized.keras',
        kerasWith((config) => {
          const dense = config.config.layers.find((l) => l.config.name === 'dense');
          if (dense) dense.config.units = 64;
        }),
      ],
    ],
    error: 'ModelImportError',
    message:
      /layer "dense" \(Dense\): weight kernel has shape \[1600, 128\] .*the config implies \[1600, 64\]/,
  },
  {
    name: 'a missing weight shard (TF.js)',
    build: async () => [['model.json', fixtureBytes('tfjs-mnist-mlp/model.json')]],
    error: 'ModelImportError',
    message: /weight shard "weights\.bin" listed in its weightsManifest is missing/,
  },
  {
    name: 'NaN and Infinity weights (TF.js)',
    build: async () => {
      const weights = fixtureBytes('tfjs-mnist-mlp/weights.bin').slice();
      const floats = new Float32Array(weights.buffer);
      floats[100] = Number.NaN;
      floats[200] = Number.POSITIVE_INFINITY;
      return tfjsFilesWith(() => {}, weights);
    },
    error: 'NonFiniteError',
    message: /weight nnv_Dense_2\/kernel: 2 value\(s\) are NaN or Infinity/,
  },
  {
    name: 'a Dense layer with 10^9 units (.keras)',
    build: async () => [
      [
        'huge.keras',
        kerasWith((config) => {
          const dense = config.config.layers.find((l) => l.config.name === 'dense');
          if (dense) dense.config.units = 1e9;
        }),
      ],
    ],
    error: 'ModelImportError',
    message: /layer "dense" \(Dense\) needs 1,601,000,000,000 parameters .*the limit/,
  },
  {
    name: 'a zip bomb declaring 4 GiB',
    build: async () => [
      ['bomb.keras', patchDeclaredSize(fixtureBytes(kerasFixture), 'model.weights.h5', 0xfffffff0)],
    ],
    error: 'ModelImportError',
    message: /model\.weights\.h5 would inflate to 4\.00 GiB .*the limit is 2\.00 GiB/,
  },
  {
    name: 'a zip bomb inflating past the size it declares',
    build: async () => [
      ['bomb.keras', patchDeclaredSize(zerosKeras(64 * 1024 ** 2), 'model.weights.h5', 1024 ** 2)],
    ],
    error: 'ModelImportError',
    message: /model\.weights\.h5 inflates to more than the 1\.0 MiB its header declares; refusing a zip bomb/,
  },
  {
    name: 'a zip bomb declaring its size honestly (64 MiB of zeros)',
    build: async () => [['bomb.keras', zerosKeras(64 * 1024 ** 2)]],
    error: 'ModelImportError',
    message:
      /model\.weights\.h5 would inflate to 64\.0 MiB from .*refusing a zip bomb \(entries over 16\.0 MiB may inflate at most 100×\)/,
  },
];
