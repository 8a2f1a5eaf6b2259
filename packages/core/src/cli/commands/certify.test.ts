import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend.ts';
import { saveModel } from '../../models/saveModel.ts';
import { randomReluMlp } from '../../testing/randomReluMlp.ts';
import type { CliIo } from '../command.ts';
import { certifyCommand } from './certify.ts';

const inputs = 6;
let dir: string;
let model: tfl.LayersModel;

beforeAll(async () => {
  await initBackend(undefined, () => {});
  dir = await mkdtemp(join(tmpdir(), 'argmax-certify-cli-'));
  model = randomReluMlp({ inputs, hidden: [10, 8], classes: 4, seed: 5 });
  await saveModel(model, join(dir, 'mlp'));
  const tanh = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [inputs], units: 3, activation: 'tanh', name: 'squash' })],
  });
  await saveModel(tanh, join(dir, 'tanh'));
  tanh.dispose();
  await writeFile(
    join(dir, 'ref.json'),
    JSON.stringify({ input: Array.from({ length: inputs }, (_, i) => i / 8) }),
  );
  await writeFile(join(dir, 'start.json'), JSON.stringify({ input: Array(inputs).fill(0.5), value: 1 }));
});
afterAll(async () => {
  model.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false };
  const code = await certifyCommand.run(argv, io);
  return { code, stdout, stderr };
}

/** Logits by a plain float32 tfjs pass over the Dense layers (the model's head is a softmax). */
function logits(x: ArrayLike<number>): Float32Array {
  return tf.tidy(() => {
    let h: tf.Tensor = tf.tensor2d(Float32Array.from(x as ArrayLike<number>), [1, x.length]);
    model.layers.forEach((layer, i) => {
      const [kernel, bias] = layer.getWeights();
      h = tf.add(tf.matMul(h, kernel!), bias!);
      if (i < model.layers.length - 1) h = tf.relu(h);
    });
    return h.dataSync() as Float32Array;
  });
}

const base = () => ['--model', join(dir, 'mlp', 'model.json')];

describe('argmax certify', () => {
  it('proves the optimum of a logit; the input reproduces bestValue and stays in the box', async () => {
    const out = join(dir, 'cert.json');
    const { code, stdout, stderr } = await run([
      ...base(),
      '--target',
      'logit:2',
      '--time-limit',
      '20',
      '--out',
      out,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const cert = JSON.parse(await readFile(out, 'utf8'));
    expect(cert.proven).toBe(true);
    expect(cert.upperBound).toBeGreaterThanOrEqual(cert.bestValue);
    expect(cert.gap).toBe((cert.upperBound - cert.bestValue) / Math.abs(cert.upperBound));
    expect(cert.input).toHaveLength(inputs);
    expect(cert.input.every((v: number) => v >= 0 && v <= 1)).toBe(true);
    const value = logits(cert.input)[2]!;
    // The float32 pass differs from the float64 bestValue by round-off, within the certified allowance.
    expect(Math.abs(value - cert.bestValue)).toBeLessThanOrEqual(cert.roundoff);
    expect(value).toBeLessThanOrEqual(cert.upperBound);
    for (const key of ['bestValue', 'upperBound', 'gap', 'proven', 'seconds', 'method'])
      expect(cert).toHaveProperty(key);
    expect(JSON.parse(stdout)).toMatchObject({ out, proven: true });
  });

  it('bounds a margin in an L∞ ball from a given incumbent, with bounds only', async () => {
    const out = join(dir, 'margin.json');
    const { code } = await run([
      ...base(),
      '--target',
      'margin:1',
      '--linf',
      `${join(dir, 'ref.json')},0.1`,
      '--incumbent',
      join(dir, 'start.json'),
      '--search',
      'bounds',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const cert = JSON.parse(await readFile(out, 'utf8'));
    expect(['ibp', 'crown']).toContain(cert.method);
    expect(cert.incumbent).toBe(join(dir, 'start.json'));
    const reference = Array.from({ length: inputs }, (_, i) => i / 8);
    cert.input.forEach((v: number, i: number) => {
      expect(Math.abs(v - reference[i]!)).toBeLessThanOrEqual(0.1 + 1e-7);
    });
    const l = logits(cert.input);
    const margin = l[1]! - Math.max(...Array.from(l).filter((_, j) => j !== 1));
    expect(margin).toBeLessThanOrEqual(cert.upperBound);
  });

  it.each([
    [
      'a probability target',
      ['--target', 'prob:1'],
      /^--target: received "prob:1"; expected logit:K or margin:K \(certificates/,
    ],
    [
      'a zero time limit',
      ['--target', 'logit:0', '--time-limit', '0'],
      /^--time-limit: received "0"; expected a number from 0 to 86400/,
    ],
    [
      'lo > hi',
      ['--target', 'logit:0', '--box', '1,0'],
      /^--box: received "1,0"; expected LO,HI with LO ≤ HI$/,
    ],
    [
      'a class past the outputs',
      ['--target', 'logit:4'],
      /^--target: received "logit:4"; expected a class index from 0 to 3/,
    ],
    [
      'an unknown search',
      ['--target', 'logit:0', '--search', 'magic'],
      /^--search: received "magic"; expected one of auto, bab, milp, bounds$/,
    ],
  ])('rejects %s with one line, exit 2, nothing written', async (_, extra, message) => {
    const out = join(dir, 'bad.json');
    const { code, stderr } = await run([...base(), ...extra, '--out', out]);
    expect(code).toBe(2);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr.replace('argmax certify: ', '').trim()).toMatch(message);
    expect(await readdir(dir)).not.toContain('bad.json');
  });

  it('says why a model gets no certificate and writes nothing', async () => {
    const out = join(dir, 'none.json');
    const { code, stderr } = await run(['--model', join(dir, 'tanh'), '--target', 'logit:0', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^argmax certify: no certificate: model: layer squash \(Dense\): activation tanh/);
    expect(await readdir(dir)).not.toContain('none.json');
  });
});
