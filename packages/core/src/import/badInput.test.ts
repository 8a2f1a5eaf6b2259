/**
 * Every kind of bad model file is rejected with a message that says what is wrong, before anything
 * large is allocated, and without leaking tensors. The bad files are made here from the good fixtures.
 */
import * as tf from '@tensorflow/tfjs-core';
import { zipSync } from 'fflate';
import type { Dataset, File } from 'h5wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { NonFiniteError, UnsupportedError } from '../errors.ts';
import { ModelImportError } from './importError.ts';
import { importModel } from './importModel.ts';
import type { ModelSource } from './modelSource.ts';
import { editHdf5, fixtureBytes, readKerasArchive, writeHdf5, writeKerasArchive } from './testSupport.ts';

const kerasFile = 'keras3-fashion-mnist-cnn/fashion_mnist.keras';
const h5File = 'keras-h5-mnist-mlp/mnist.h5';
const utf8 = (text: string) => new TextEncoder().encode(text);
const upload = (...files: [string, Uint8Array][]): ModelSource => ({ files: new Map(files) });

type KerasConfig = {
  config: {
    layers: {
      class_name: string;
      config: Record<string, unknown>;
      registered_name?: unknown;
      module?: unknown;
    }[];
  };
};
type TfjsJson = {
  modelTopology: {
    config: { layers: { class_name: string; name: string; config: Record<string, unknown> }[] };
  };
  weightsManifest: { paths: string[] }[];
};

function kerasWith(edit: (config: KerasConfig) => void, weights?: Uint8Array): Uint8Array {
  const parts = readKerasArchive(fixtureBytes(kerasFile));
  edit(parts.config as KerasConfig);
  return writeKerasArchive({ ...parts, weights: weights ?? parts.weights });
}

function tfjsWith(
  edit: (json: TfjsJson) => void,
  weights = fixtureBytes('tfjs-mnist-mlp/weights.bin'),
): ModelSource {
  const json = JSON.parse(new TextDecoder().decode(fixtureBytes('tfjs-mnist-mlp/model.json'))) as TfjsJson;
  edit(json);
  return upload(['model.json', utf8(JSON.stringify(json))], ['weights.bin', weights]);
}

async function h5With(edit: (file: File) => void): Promise<ModelSource> {
  return upload(['mnist.h5', await editHdf5(fixtureBytes(h5File), edit)]);
}

function editModelConfig(file: File, edit: (text: string) => string): void {
  const text = file.attrs.model_config?.value as string;
  file.delete_attribute('model_config');
  file.create_attribute('model_config', edit(text));
}

/** Rejects with the given error class and message, allocating no tensor that outlives the call. */
async function expectRejected(
  source: ModelSource,
  errorClass: new (...args: never[]) => Error,
  message: RegExp,
) {
  const before = tf.memory().numTensors;
  const error = await importModel(source).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(errorClass);
  expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
  return error as Error;
}

/** Sets the size a zip entry declares, in its local header and in the central directory. */
function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
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

describe('importModel rejects bad input', () => {
  beforeAll(() => initBackend());

  describe('unsupported layers', () => {
    it('names a Lambda layer with its name and class and lists what is supported', async () => {
      const source = tfjsWith((json) => {
        const flatten = json.modelTopology.config.layers[1];
        if (flatten) flatten.class_name = 'Lambda';
      });
      const error = await expectRejected(
        source,
        UnsupportedError,
        /"nnv_Flatten_1" \(Lambda\): layer class not supported/,
      );
      expect(error.message).toMatch(
        /Supported layers: InputLayer, Dense, Flatten, Reshape, Conv2D, DepthwiseConv2D/,
      );
    });

    it('names a Keras 3 custom class with its registered name', async () => {
      const bytes = kerasWith((config) => {
        const dense = config.config.layers.find((l) => l.config.name === 'dense');
        if (!dense) throw new Error('fixture changed');
        dense.class_name = 'MyDense';
        dense.module = null;
        dense.registered_name = 'my_package>MyDense';
      });
      await expectRejected(
        upload(['model.keras', bytes]),
        UnsupportedError,
        /"dense" \(MyDense, registered as my_package>MyDense\): layer class not supported/,
      );
    });

    it('names layer options tfjs would silently ignore (grouped convolution)', async () => {
      const bytes = kerasWith((config) => {
        const conv = config.config.layers.find((l) => l.config.name === 'conv2d_1');
        if (conv) conv.config.groups = 2;
      });
      await expectRejected(
        upload(['model.keras', bytes]),
        UnsupportedError,
        /"conv2d_1" \(Conv2D\): groups=2/,
      );
    });
  });

  describe('broken containers', () => {
    it('a truncated .keras zip', async () => {
      const bytes = fixtureBytes(kerasFile);
      await expectRejected(
        upload(['fashion_mnist.keras', bytes.subarray(0, bytes.length >> 1)]),
        ModelImportError,
        /fashion_mnist\.keras: not a complete zip archive .*truncated/,
      );
    });

    it('a truncated .h5 file', async () => {
      const bytes = fixtureBytes(h5File);
      await expectRejected(
        upload(['mnist.h5', bytes.subarray(0, 4096)]),
        ModelImportError,
        /mnist\.h5: .*(corrupt|truncated)/,
      );
    });

    it('a file named .h5 that is not HDF5', async () => {
      await expectRejected(
        upload(['model.h5', utf8('<html>404 not found</html>')]),
        ModelImportError,
        /model\.h5: not an HDF5 file .*starts with 3c 68 74 6d/,
      );
    });

    it('a .keras whose model.weights.h5 is not HDF5', async () => {
      const parts = readKerasArchive(fixtureBytes(kerasFile));
      const bytes = writeKerasArchive({ ...parts, weights: utf8('not hdf5 at all') });
      await expectRejected(
        upload(['m.keras', bytes]),
        ModelImportError,
        /model\.weights\.h5: not an HDF5 file/,
      );
    });

    it('an HDF5 file holding only weights (save_weights)', async () => {
      const bytes = await writeHdf5({
        attributes: { '/': { layer_names: ['dense'] } },
        datasets: [{ path: 'dense/dense/kernel:0', values: new Float32Array(4), shape: [2, 2] }],
      });
      await expectRejected(upload(['weights.h5', bytes]), ModelImportError, /weights only .*model\.save\(\)/);
    });
  });

  describe('config and weights disagree', () => {
    it('.keras: a Dense layer resized in config.json', async () => {
      const bytes = kerasWith((config) => {
        const dense = config.config.layers.find((l) => l.config.name === 'dense');
        if (dense) dense.config.units = 64;
      });
      await expectRejected(
        upload(['m.keras', bytes]),
        ModelImportError,
        /layer "dense" \(Dense\): weight kernel has shape \[1600, 128\] in the file .*the config implies \[1600, 64\]/,
      );
    });

    it('.h5: a Dense layer resized in model_config', async () => {
      const source = await h5With((file) =>
        editModelConfig(file, (t) => t.replace('"units": 128', '"units": 100')),
      );
      await expectRejected(
        source,
        ModelImportError,
        /layer "dense_6" \(Dense\): weight kernel has shape \[784, 128\] .*implies \[784, 100\]/,
      );
    });

    it('TF.js: a Dense layer resized in model.json', async () => {
      const source = tfjsWith((json) => {
        const dense = json.modelTopology.config.layers[2];
        if (dense) dense.config.units = 32;
      });
      await expectRejected(
        source,
        ModelImportError,
        /"nnv_Dense_2" \(Dense\): weight kernel has shape \[784, 64\] in the weights manifest; the config implies \[784, 32\]/,
      );
    });

    it('TF.js: a missing weight shard', async () => {
      const json = fixtureBytes('tfjs-mnist-mlp/model.json');
      await expectRejected(
        upload(['model.json', json]),
        ModelImportError,
        /weight shard "weights\.bin" listed in its weightsManifest is missing/,
      );
    });

    it('TF.js: a truncated weight shard', async () => {
      const source = tfjsWith(() => {}, fixtureBytes('tfjs-mnist-mlp/weights.bin').subarray(0, 1000));
      await expectRejected(
        source,
        ModelImportError,
        /"weights\.bin" hold 1000 bytes; weightsManifest\[0\] needs 203560 bytes/,
      );
    });

    it('TF.js: a shard path leaving the model folder', async () => {
      const source = tfjsWith((json) => {
        if (json.weightsManifest[0]) json.weightsManifest[0].paths = ['../../etc/passwd'];
      });
      await expectRejected(source, ModelImportError, /points outside the model's folder/);
    });
  });

  describe('NaN and Infinity in weights', () => {
    it('TF.js weights', async () => {
      const weights = fixtureBytes('tfjs-mnist-mlp/weights.bin').slice();
      const floats = new Float32Array(weights.buffer);
      floats[100] = Number.NaN;
      floats[200] = Number.POSITIVE_INFINITY;
      await expectRejected(
        tfjsWith(() => {}, weights),
        NonFiniteError,
        /weight nnv_Dense_2\/kernel: 2 value\(s\) are NaN or Infinity/,
      );
    });

    it('.keras weights', async () => {
      const parts = readKerasArchive(fixtureBytes(kerasFile));
      const weights = await editHdf5(parts.weights, (file) =>
        (file.get('layers/dense_1/vars/1') as Dataset).write_slice([[3, 4]], Float32Array.of(Number.NaN)),
      );
      await expectRejected(
        upload(['m.keras', writeKerasArchive({ ...parts, weights })]),
        NonFiniteError,
        /layer "dense_1" weight bias: 1 value\(s\) are NaN/,
      );
    });

    it('.h5 weights', async () => {
      const source = await h5With((file) =>
        (file.get('model_weights/dense_6/dense_6/kernel:0') as Dataset).write_slice(
          [
            [0, 1],
            [5, 6],
          ],
          Float32Array.of(Number.NEGATIVE_INFINITY),
        ),
      );
      await expectRejected(source, NonFiniteError, /layer "dense_6" weight kernel: 1 value\(s\)/);
    });
  });

  describe('absurd sizes are refused from the config, before building', () => {
    const quickly = async (source: ModelSource, message: RegExp) => {
      const started = performance.now();
      const rss = process.memoryUsage().rss;
      await expectRejected(source, ModelImportError, message);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 ** 2);
    };

    it('.keras: a Dense layer with 10^9 units', async () => {
      const bytes = kerasWith((config) => {
        const dense = config.config.layers.find((l) => l.config.name === 'dense');
        if (dense) dense.config.units = 1e9;
      });
      await quickly(
        upload(['m.keras', bytes]),
        /layer "dense" \(Dense\) needs 1,601,000,000,000 parameters \(kernel \[1600, 1000000000\], bias \[1000000000\]\); the limit/,
      );
    });

    it('.h5: a Dense layer with 10^9 units', async () => {
      await quickly(
        await h5With((file) =>
          editModelConfig(file, (t) => t.replace('"units": 128', '"units": 1000000000')),
        ),
        /layer "dense_6" \(Dense\) needs 785,000,000,000 parameters/,
      );
    });

    it('TF.js: a Dense layer with 10^9 units', async () => {
      await quickly(
        tfjsWith((json) => {
          const dense = json.modelTopology.config.layers[2];
          if (dense) dense.config.units = 1e9;
        }),
        /layer "nnv_Dense_2" \(Dense\) needs 785,000,000,000 parameters/,
      );
    });

    it('an upsampling layer whose output would not fit in memory', async () => {
      await quickly(
        tfjsWith((json) => {
          json.modelTopology.config.layers.splice(1, 0, {
            class_name: 'UpSampling2D',
            name: 'up',
            config: { name: 'up', size: [10000, 10000] },
          });
          const layers = json.modelTopology.config.layers as unknown as {
            name: string;
            inbound_nodes: unknown;
          }[];
          (layers[1] as { inbound_nodes: unknown }).inbound_nodes = [[['nnv_Input', 0, 0, {}]]];
          (layers[2] as { inbound_nodes: unknown }).inbound_nodes = [[['up', 0, 0, {}]]];
        }),
        /layer "up" \(UpSampling2D\) outputs \[null, 280000, 280000, 1\]: 78,400,000,000 values per example; the limit/,
      );
    });
  });

  describe('zip bombs', () => {
    it('an entry that declares more than the limit is refused before inflating', async () => {
      const bytes = patchDeclaredSize(fixtureBytes(kerasFile), 'model.weights.h5', 0xfffffff0);
      await expectRejected(
        upload(['bomb.keras', bytes]),
        ModelImportError,
        /model\.weights\.h5 would inflate to 4\.00 GiB .*the limit is 2\.00 GiB/,
      );
    });

    it('an entry that inflates past the size it declares is stopped while inflating', async () => {
      const parts = readKerasArchive(fixtureBytes(kerasFile));
      const zeros = new Uint8Array(64 * 1024 ** 2); // deflates to ~64 KiB
      const zip = zipSync(
        { 'config.json': utf8(JSON.stringify(parts.config)), 'model.weights.h5': zeros },
        { level: 1 },
      );
      expect(zip.length).toBeLessThan(1024 ** 2);
      const rss = process.memoryUsage().rss;
      await expectRejected(
        upload(['bomb.keras', patchDeclaredSize(zip, 'model.weights.h5', 1024 ** 2)]),
        ModelImportError,
        /model\.weights\.h5 inflates to more than the 1\.0 MiB its header declares; refusing a zip bomb/,
      );
      expect(process.memoryUsage().rss - rss).toBeLessThan(48 * 1024 ** 2);
    });
  });
});
