import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import {
  conv2dValid,
  dense,
  type Image,
  maxAbsDiff,
  maxPool2,
  relu,
  softmax,
} from '../testing/referenceOps.ts';
import { fixtureBytes, fixturesDir, readHdf5Arrays, readKerasArchive } from '../testing/testSupport.ts';
import { importModel } from './importModel.ts';
import { deterministicInput } from './verifyModel.ts';

const file = 'keras3-fashion-mnist-cnn/fashion_mnist.keras';

/** The fixture's topology (PROVENANCE.txt), computed with plain loops from the arrays in model.weights.h5. */
async function referenceForward(): Promise<(x: Float32Array) => Float32Array> {
  const { weights } = readKerasArchive(fixtureBytes(file));
  const v = (layer: string, i: number) => `layers/${layer}/vars/${i}`;
  const [k1, b1, k2, b2, k3, b3, k4, b4] = (await readHdf5Arrays(weights, [
    v('conv2d', 0),
    v('conv2d', 1),
    v('conv2d_1', 0),
    v('conv2d_1', 1),
    v('dense', 0),
    v('dense', 1),
    v('dense_1', 0),
    v('dense_1', 1),
  ])) as Float32Array[];
  return (x) => {
    const image: Image = { height: 28, width: 28, channels: 1, data: x };
    let h = conv2dValid(image, k1 as Float32Array, 3, 3, b1 as Float32Array);
    h = maxPool2({ ...h, data: relu(h.data) });
    h = conv2dValid(h, k2 as Float32Array, 3, 3, b2 as Float32Array);
    h = maxPool2({ ...h, data: relu(h.data) });
    const hidden = relu(dense(h.data, k3 as Float32Array, b3 as Float32Array)); // Dropout: identity at inference
    return softmax(dense(hidden, k4 as Float32Array, b4 as Float32Array));
  };
}

describe('importModel: Keras 3 .keras', () => {
  beforeAll(() => initBackend());

  it('imports the Fashion-MNIST CNN and agrees with a plain forward pass from its weights to 1e-5', async () => {
    const before = tf.memory().numTensors;
    const imported = await importModel(`${fixturesDir}${file}`);
    expect(imported.format).toBe('keras3');
    expect(imported.inputs).toEqual([{ name: 'input_layer', shape: [28, 28, 1] }]);
    expect(imported.outputs.map((o) => o.shape)).toEqual([[10]]);
    expect(imported.layers.map((l) => l.className)).toEqual([
      'InputLayer',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ]);
    expect(imported.parameterCount).toBe(imported.model.countParams());
    expect(imported.warnings).toEqual([]);

    const reference = await referenceForward();
    const inputs = [0, 1, 2].map((k) => deterministicInput(28 * 28, k));
    const ours = tf.tidy(() => {
      const x = tf.tensor(
        inputs.flatMap((a) => Array.from(a)),
        [3, 28, 28, 1],
      );
      return (imported.model.predict(x) as tf.Tensor).arraySync() as number[][];
    });
    for (const [k, input] of inputs.entries()) {
      const expected = reference(input);
      expect(maxAbsDiff(ours[k] as number[], expected)).toBeLessThan(1e-5);
      // The import's own check ran on the first of these inputs.
      if (k === 0) expect(maxAbsDiff(imported.check.outputs[0] as number[], expected)).toBeLessThan(1e-5);
    }
    imported.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('imports the same file from an upload (bytes by name) with the same outputs', async () => {
    const fromPath = await importModel(`${fixturesDir}${file}`);
    const fromUpload = await importModel({ files: new Map([['fashion_mnist.keras', fixtureBytes(file)]]) });
    expect(fromUpload.file).toBe('fashion_mnist.keras');
    expect(fromUpload.check.outputs).toEqual(fromPath.check.outputs);
    fromPath.model.dispose();
    fromUpload.model.dispose();
  });
});
