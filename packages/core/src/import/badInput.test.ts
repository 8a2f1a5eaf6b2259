/**
 * Every kind of bad model file is rejected with a message that says what is wrong, before anything
 * large is allocated, and without leaking tensors. The bad files are made here from the good fixtures.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, File } from 'h5wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { ArgmaxError, NonFiniteError, UnsupportedError } from '../errors.ts';
import {
  badModelFiles,
  editModelConfig,
  h5Fixture,
  kerasFixture,
  kerasWith,
  type TfjsJson,
  tfjsFilesWith,
} from '../testing/badModelFiles.ts';
import {
  editHdf5,
  fixtureBytes,
  readKerasArchive,
  writeHdf5,
  writeKerasArchive,
} from '../testing/testSupport.ts';
import { ModelImportError } from './importError.ts';
import { importModel } from './importModel.ts';
import type { ModelSource } from './modelSource.ts';

const kerasFile = kerasFixture;
const h5File = h5Fixture;
const utf8 = (text: string) => new TextEncoder().encode(text);
const upload = (...files: [string, Uint8Array][]): ModelSource => ({ files: new Map(files) });

function tfjsWith(edit: (json: TfjsJson) => void, weights?: Uint8Array): ModelSource {
  return upload(...tfjsFilesWith(edit, weights));
}

async function h5With(edit: (file: File) => void): Promise<ModelSource> {
  return upload(['mnist.h5', await editHdf5(fixtureBytes(h5File), edit)]);
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

describe('importModel rejects bad input', () => {
  beforeAll(() => initBackend());

  describe('unsupported layers', () => {
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
      const rss = process.memoryUsage().rss;
      await expectRejected(source, ModelImportError, message);
      expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 ** 2);
    };

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

  describe('each bad file the server upload tests also send', () => {
    it.each(badModelFiles)('$name', async ({ build, error, message }) => {
      const files = await build();
      const rss = process.memoryUsage().rss;
      const refusal = await expectRejected(upload(...files), ArgmaxError, message);
      expect(refusal.name).toBe(error);
      // One line: the CLI prints the message as its single line on stderr.
      expect(refusal.message).not.toContain('\n');
      // Refused before any large allocation: the zip bombs would take 64 MiB to 4 GiB (one inflated
      // chunk, up to ~16 MiB, is the most a bomb gets).
      expect(process.memoryUsage().rss - rss).toBeLessThan(48 * 1024 ** 2);
    });
  });
});
