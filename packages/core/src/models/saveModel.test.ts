import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { ArgmaxError, NonFiniteError } from '../errors.ts';
import { loadModel } from './loadModel.ts';
import { saveModel } from './saveModel.ts';
import { buildSeedMlp } from './seedMlp.ts';

let dir: string;
beforeAll(async () => {
  await initBackend(undefined, () => {});
  dir = await mkdtemp(join(tmpdir(), 'argmax-save-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('saveModel / loadModel', () => {
  it('round-trips a model: identical predictions and metadata', async () => {
    const model = buildSeedMlp({ seed: 7 });
    const out = join(dir, 'round-trip');
    await saveModel(model, out, { testAccuracy: 0.5, seed: 7 });
    expect((await readdir(out)).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadModel(join(out, 'model.json'));
    const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 3);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual(expected);
    expect(loaded.getUserDefinedMetadata()).toEqual({ testAccuracy: 0.5, seed: 7 });
    // The folder works as well as the model.json path.
    const again = await loadModel(out);
    expect((again.predict(x) as tf.Tensor).dataSync()).toEqual(expected);
  });

  it('rejects NaN or Infinity in weights.bin with NonFiniteError naming the weight', async () => {
    const out = join(dir, 'nan');
    await saveModel(buildSeedMlp({ seed: 1 }), out);
    const bytes = await readFile(join(out, 'weights.bin'));
    // The manifest's second weight is dense/bias (128 floats after the 784×128 kernel).
    bytes.writeFloatLE(Number.NaN, 784 * 128 * 4 + 8);
    bytes.writeFloatLE(Number.POSITIVE_INFINITY, 784 * 128 * 4 + 12);
    await writeFile(join(out, 'weights.bin'), bytes);
    const loading = loadModel(out);
    await expect(loading).rejects.toBeInstanceOf(NonFiniteError);
    await expect(loadModel(out)).rejects.toThrow(/dense\/bias.*2 value\(s\) are NaN or Infinity/);
  });

  it('refuses to save non-finite weights and leaves the target untouched', async () => {
    const model = buildSeedMlp({ seed: 1 });
    const [kernel, ...rest] = model.getWeights();
    const broken = tf.tidy(() => tf.div(kernel!, tf.zerosLike(kernel!)));
    model.setWeights([broken, ...rest]);
    const out = join(dir, 'never-written');
    await expect(saveModel(model, out)).rejects.toBeInstanceOf(NonFiniteError);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('reports a missing file, a non-model JSON and truncated weights clearly', async () => {
    await expect(loadModel(join(dir, 'absent', 'model.json'))).rejects.toThrow(/cannot read/);
    const notModel = join(dir, 'not-model.json');
    await writeFile(notModel, '{"hello": 1}');
    await expect(loadModel(notModel)).rejects.toThrow(/not a TF.js layers model/);
    const out = join(dir, 'truncated');
    await saveModel(buildSeedMlp({ seed: 1 }), out);
    const bytes = await readFile(join(out, 'weights.bin'));
    await writeFile(join(out, 'weights.bin'), bytes.subarray(0, 1000));
    await expect(loadModel(out)).rejects.toThrow(ArgmaxError);
    await expect(loadModel(out)).rejects.toThrow(/hold 1000 bytes; the manifest needs 407080/);
  });
});
