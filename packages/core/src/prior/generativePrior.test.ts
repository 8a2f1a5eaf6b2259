import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { saveModel } from '../models/saveModel.ts';
import { buildSeedMlp } from '../models/seedMlp.ts';
import { evaluateObjective } from '../optimize/evaluateObjective.ts';
import { certifyInGenerative, decoderInputRanges } from './certifyInGenerative.ts';
import { datasetPrior } from './datasetPrior.ts';
import { generativeLatentBox } from './generativePrior.ts';
import { disposeLatentLayers, latentModel } from './latentModel.ts';
import { generativeSearch, optimizeInGenerative } from './optimizeInGenerative.ts';
import type { Prior } from './prior.ts';
import { loadPrior, priorCacheDir, priorDir } from './priorStore.ts';
import { smallPriorOptions } from './smallPrior.ts';
import { trainVae, type VaeSettings } from './trainVae.ts';

const bin = fileURLToPath(new URL('../../bin/argmax.js', import.meta.url));
/** A tiny VAE (latent 4, one hidden layer of 24, one epoch over 3,000 images): seconds, not minutes. */
const tinyVae: VaeSettings = {
  latent: 4,
  hidden: [24],
  epochs: 1,
  batchSize: 64,
  learningRate: 2e-3,
  noise: 0.1,
  examples: 3000,
  seed: 3,
};
const box: [number, number] = [0, 1];
const model = buildSeedMlp({ seed: 5, units: 16 });
let dir: string;
let prior: Prior;
const progress: string[] = [];

// The small MNIST prior and a tiny VAE, built into a temporary cache under the name the CLI looks for.
beforeAll(async () => {
  await initBackend(undefined, () => {});
  dir = await mkdtemp(join(tmpdir(), 'argmax-vae-'));
  await saveModel(model, join(dir, 'model'));
  ({ prior } = await datasetPrior('mnist', {
    cacheDir: priorCacheDir({ ARGMAX_CACHE_DIR: dir }),
    ...smallPriorOptions,
    generative: true,
    vaeSettings: tinyVae,
    onProgress: (line) => progress.push(line),
  }));
}, 240_000);
afterAll(async () => {
  model.dispose();
  for (const judge of prior?.judges ?? []) judge.model.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Seeded uniform points of the latent box. */
function latentSample(lo: Float32Array, hi: Float32Array, count: number, seed: number): Float32Array[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, () => lo.map((l, d) => l + (hi[d]! - l) * random()));
}

/** The decoder applied with tfjs ops from its stored arrays, clipped to the box (independent of latentModel). */
function decodeWithOps(z: Float32Array[]): tf.Tensor2D {
  const { decoder } = prior.generative!;
  return tf.tidy(() => {
    let h: tf.Tensor2D = tf.tensor2d(
      z.flatMap((p) => Array.from(p)),
      [z.length, decoder.latent],
    );
    let inputs = decoder.latent;
    for (const layer of decoder.hidden) {
      h = tf.relu(
        tf.add(tf.matMul(h, tf.tensor2d(layer.kernel, [inputs, layer.units])), layer.bias),
      ) as tf.Tensor2D;
      inputs = layer.units;
    }
    const y = tf.add(tf.matMul(h, tf.tensor2d(decoder.basis, [inputs, decoder.size])), decoder.offset);
    return tf.clipByValue(y, box[0], box[1]) as tf.Tensor2D;
  });
}

describe('the generative prior (VAE)', () => {
  it('reports its training on the progress lines and stores the decoder with the prior', async () => {
    expect(progress.some((line) => /training its VAE/.test(line))).toBe(true);
    expect(progress.some((line) => /vae epoch 1\/1: loss \d/.test(line))).toBe(true);
    const generative = prior.generative!;
    expect(generative.decoder.latent).toBe(4);
    expect(generative.build.reconstructionError).toBeGreaterThan(0);
    expect(generative.build.reconstructionError).toBeLessThan(0.2);
    // Round trip: what the cache gives back is what was trained.
    const loaded = (await loadPrior(priorDir(priorCacheDir({ ARGMAX_CACHE_DIR: dir }), 'mnist')))!;
    for (const judge of loaded.judges) judge.model.dispose();
    const again = loaded.generative!;
    expect(again.decoder.hidden.map((l) => l.units)).toEqual([24]);
    expect(again.decoder.hidden[0]!.kernel).toEqual(generative.decoder.hidden[0]!.kernel);
    expect(again.decoder.hidden[0]!.bias).toEqual(generative.decoder.hidden[0]!.bias);
    expect(again.decoder.basis).toEqual(generative.decoder.basis);
    expect(again.decoder.offset).toEqual(generative.decoder.offset);
    expect(again.classMean).toEqual(generative.classMean);
    expect(again.classSd).toEqual(generative.classSd);
    expect(again.build).toEqual(generative.build);
    // A second open reuses it: no training.
    const lines: string[] = [];
    const reopened = await datasetPrior('mnist', {
      cacheDir: priorCacheDir({ ARGMAX_CACHE_DIR: dir }),
      generative: true,
      onProgress: (line) => lines.push(line),
    });
    for (const judge of reopened.prior.judges) judge.model.dispose();
    expect(reopened.built).toBe(false);
    expect(lines).toEqual([]);
  });

  it('training and searching leave no tensor behind', async () => {
    const { values, size } = prior.realism.train;
    const sample = { values: values.subarray(0, 256 * size), count: 256, size, shape: prior.shape };
    const before = tf.memory().numTensors;
    await trainVae(sample, { ...tinyVae, latent: 2, hidden: [8], examples: 256 });
    expect(tf.memory().numTensors).toBe(before);
    for await (const _ of optimizeInGenerative(
      model,
      { objective: { kind: 'logit', index: 3 }, steps: 5, restarts: 4, log: () => {} },
      prior,
      3,
      box,
    ));
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('decoder + clip + model as one network equals the model on the decoded images', () => {
    const { lo, hi } = generativeLatentBox(prior.generative!, 2, generativeSearch.sigmas);
    const z = latentSample(lo, hi, 64, 17);
    const composed = latentModel(model, prior.generative!.decoder, box);
    try {
      const [direct, viaImages] = tf.tidy(() => {
        const images = tf.reshape(decodeWithOps(z), [z.length, 28, 28, 1]);
        return [
          composed.predict(
            tf.tensor2d(
              z.flatMap((p) => Array.from(p)),
              [z.length, 4],
            ),
          ) as tf.Tensor,
          (model as tfl.LayersModel).predict(images) as tf.Tensor,
        ];
      });
      const a = direct!.dataSync();
      const b = viaImages!.dataSync();
      tf.dispose([direct!, viaImages!]);
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
    } finally {
      disposeLatentLayers(composed);
    }
  });

  it('the certified bound inside the generative prior is above the value at every sampled latent point', async () => {
    const k = 2;
    const { lo, hi } = generativeLatentBox(prior.generative!, k, generativeSearch.sigmas);
    const certificate = await certifyInGenerative(model, prior, k, box, generativeSearch.sigmas, {
      objective: { kind: 'logit', index: k },
      timeLimitSeconds: 4,
    });
    if (!('upperBound' in certificate)) throw new Error(`not certified: ${certificate.reason}`);
    const z = latentSample(lo, hi, 2000, 23);
    const images = decodeWithOps(z);
    const rows = await images.array();
    images.dispose();
    const scored = await evaluateObjective(model, { kind: 'logit', index: k }, rows);
    const highest = Math.max(...scored.map((s) => s.value));
    expect(certificate.upperBound).toBeGreaterThanOrEqual(highest);
    expect(certificate.upperBound).toBeGreaterThanOrEqual(certificate.bestValue);
    // The best point is a point of the latent box, its value the model's at its decoded image.
    for (const [d, v] of certificate.latent.entries()) {
      expect(v).toBeGreaterThanOrEqual(lo[d]! - 1e-6);
      expect(v).toBeLessThanOrEqual(hi[d]! + 1e-6);
    }
    const [best] = await evaluateObjective(model, { kind: 'logit', index: k }, [certificate.input]);
    expect(best!.value).toBeCloseTo(certificate.bestValue, 3);
    // Every decoded image lies inside the interval ranges the second bound certifies over.
    const ranges = decoderInputRanges(prior.generative!.decoder, lo, hi, box);
    let outside = 0;
    for (const row of rows)
      for (const [j, v] of row.entries()) if (v < ranges.lo[j]! || v > ranges.hi[j]!) outside++;
    expect(outside).toBe(0);
    // ...and the ranges are not the whole box everywhere (the second bound has something to work with).
    expect(ranges.hi.some((h, j) => h - ranges.lo[j]! < 0.5)).toBe(true);
  }, 60_000);

  it('argmax optimize --prior mnist:vae answers inside the latent box, measured against the data', async () => {
    const out = join(dir, 'R.json');
    const { stderr } = await promisify(execFile)(
      'node',
      [
        bin,
        'optimize',
        '--model',
        join(dir, 'model', 'model.json'),
        '--target',
        'logit:3',
        '--prior',
        'mnist:vae',
        '--certify',
        '2',
        '--out',
        out,
      ],
      { env: { ...process.env, ARGMAX_CACHE_DIR: dir } },
    );
    expect(stderr).not.toMatch(/training its VAE/);
    const record = JSON.parse(await readFile(out, 'utf8'));
    expect(record.prior).toMatchObject({ name: 'mnist', method: 'vae', classIndex: 3, latentDimensions: 4 });
    const { lo, hi } = generativeLatentBox(prior.generative!, 3, generativeSearch.sigmas);
    const z = Float32Array.from(record.latent as number[]);
    for (const [d, v] of z.entries()) {
      expect(v).toBeGreaterThanOrEqual(lo[d]! - 1e-5);
      expect(v).toBeLessThanOrEqual(hi[d]! + 1e-5);
    }
    // The answer is the decoded latent point, and its value the model's there.
    const decoded = decodeWithOps([z]);
    const x = (await decoded.array())[0]!;
    decoded.dispose();
    for (const [j, v] of (record.input as number[]).entries()) expect(v).toBeCloseTo(x[j]!, 4);
    const [scored] = await evaluateObjective(model, { kind: 'logit', index: 3 }, [x]);
    expect(record.value).toBeCloseTo(scored!.value, 3);
    expect(typeof record.realism.nearestTraining.distance).toBe('number');
    expect(record.prior.upperBound.value).toBeGreaterThanOrEqual(record.value);
  }, 120_000);
});
