import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { memoryLoadHandler, saveToBytes } from './memoryIo.ts';
import { buildSeedMlp } from './seedMlp.ts';

beforeAll(() => initBackend(undefined, () => {}));

describe('saveToBytes', () => {
  it("holds the model's weights in order, as float32, and loads back to the same predictions", async () => {
    const model = buildSeedMlp({ seed: 3 });
    const bytes = await saveToBytes(model);
    const values = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const expected = new Uint8Array(values.reduce((n, v) => n + v.byteLength, 0));
    let offset = 0;
    for (const v of values) {
      expected.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offset);
      offset += v.byteLength;
    }
    expect(bytes.weights).toEqual(expected);
    expect(JSON.parse(bytes.modelJson).weightsManifest[0].paths).toEqual(['./weights.bin']);

    const loaded = await tfl.loadLayersModel(memoryLoadHandler(bytes));
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect([...b]).toEqual([...a]);
    model.dispose();
    loaded.dispose();
  });
});
