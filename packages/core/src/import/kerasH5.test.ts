import * as tf from '@tensorflow/tfjs-core';
import type { Group } from 'h5wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { dense, maxAbsDiff, relu, softmax } from '../testing/referenceOps.ts';
import { editHdf5, fixtureBytes, fixturesDir, readHdf5Arrays } from '../testing/testSupport.ts';
import { ModelImportError } from './importError.ts';
import { importModel } from './importModel.ts';
import { deterministicInput } from './verifyModel.ts';

const file = 'keras-h5-mnist-mlp/mnist.h5';

describe('importModel: legacy Keras .h5', () => {
  beforeAll(() => initBackend());

  it('imports the MNIST MLP (28×28 input, no channel axis) and agrees with a plain forward pass to 1e-5', async () => {
    const before = tf.memory().numTensors;
    const imported = await importModel(`${fixturesDir}${file}`);
    expect(imported.format).toBe('keras-h5');
    expect(imported.inputs.map((i) => i.shape)).toEqual([[28, 28]]);
    expect(imported.outputs.map((o) => o.shape)).toEqual([[10]]);
    expect(imported.layers.map((l) => [l.className, l.parameterCount])).toEqual([
      ['Flatten', 0],
      ['Dense', 784 * 128 + 128],
      ['Dense', 128 * 10 + 10],
    ]);

    // Weights straight from the file's model_weights group; the optimizer_weights group is ignored.
    const w = (name: string) => `model_weights/${name.split('/')[0]}/${name}`;
    const [k1, b1, k2, b2] = (await readHdf5Arrays(fixtureBytes(file), [
      w('dense_6/kernel:0'),
      w('dense_6/bias:0'),
      w('dense_7/kernel:0'),
      w('dense_7/bias:0'),
    ])) as Float32Array[];
    const reference = (x: Float32Array) =>
      softmax(
        dense(relu(dense(x, k1 as Float32Array, b1 as Float32Array)), k2 as Float32Array, b2 as Float32Array),
      );

    const inputs = [0, 1, 2, 3].map((k) => deterministicInput(28 * 28, k));
    const ours = tf.tidy(
      () =>
        (
          imported.model.predict(
            tf.tensor(
              inputs.flatMap((a) => Array.from(a)),
              [4, 28, 28],
            ),
          ) as tf.Tensor
        ).arraySync() as number[][],
    );
    for (const [k, input] of inputs.entries())
      expect(maxAbsDiff(ours[k] as number[], reference(input))).toBeLessThan(1e-5);
    imported.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an .h5 whose layer_names order disagrees with its config (Keras pairs weights by position)', async () => {
    const swapped = await editHdf5(fixtureBytes(file), (h5) => {
      const group = h5.get('model_weights') as Group;
      const names = group.attrs.layer_names?.value as string[];
      group.delete_attribute('layer_names');
      group.create_attribute('layer_names', [names[0], names[2], names[1]] as string[]);
    });
    const error = await importModel({ files: new Map([['mnist.h5', swapped]]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelImportError);
    expect((error as Error).message).toBe(
      "mnist.h5: its weights are stored for layers [dense_7, dense_6], but the model config's layers with weights are [dense_6, dense_7]; the weights do not belong to this config",
    );
  });
});
