/**
 * `argmax certify --model` takes Keras files as `optimize` does: the certificate on an imported
 * network is checked against a forward pass computed with plain loops from the file's own arrays.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend.ts';
import { denseLayer, denseWeights, inputLayer, kerasArchive, sequential } from '../../testing/keras3Files.ts';
import { dense, relu } from '../../testing/referenceOps.ts';
import { fixtureBytes, fixturesDir, readHdf5Arrays } from '../../testing/testSupport.ts';
import type { CliIo } from '../command.ts';
import { certifyCommand } from './certify.ts';

let dir: string;

beforeAll(async () => {
  await initBackend(undefined, () => {});
  dir = await mkdtemp(join(tmpdir(), 'argmax-certify-keras-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Certificate {
  bestValue: number;
  upperBound: number;
  roundoff: number;
  proven: boolean;
  input: number[];
  shape: number[];
}

async function certifyFile(model: string, target: string, extra: string[] = []): Promise<Certificate> {
  const out = join(dir, `${target.replace(':', '-')}-${Math.random().toString(36).slice(2)}.json`);
  let stderr = '';
  const io: CliIo = { stdout: () => {}, stderr: (t) => (stderr += t), isTTY: false };
  const code = await certifyCommand.run(['--model', model, '--target', target, '--out', out, ...extra], io);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(await readFile(out, 'utf8')) as Certificate;
}

/** Sound and reproducible: bestValue ≤ upperBound, and the input's independent logit is bestValue. */
function expectSound(cert: Certificate, logit: number, lo = 0, hi = 1): void {
  expect(cert.bestValue).toBeLessThanOrEqual(cert.upperBound);
  expect(Math.min(...cert.input)).toBeGreaterThanOrEqual(lo);
  expect(Math.max(...cert.input)).toBeLessThanOrEqual(hi);
  expect(Math.abs(logit - cert.bestValue)).toBeLessThanOrEqual(
    Math.max(cert.roundoff, 1e-5 * Math.abs(logit)),
  );
  expect(logit).toBeLessThanOrEqual(cert.upperBound + cert.roundoff);
}

describe('argmax certify on imported Keras models', () => {
  it('certifies a Keras 3 .keras file (layers named apart from their weight paths)', async () => {
    const w = { a: denseWeights(8, 16, 21), b: denseWeights(16, 12, 22), c: denseWeights(12, 5, 23) };
    const config = sequential('classifier', [
      inputLayer('pixels', 8),
      denseLayer('features', 16, 'relu'),
      denseLayer('dense_4', 12, 'relu'),
      denseLayer('logits', 5, 'linear'),
    ]);
    const path = join(dir, 'model.keras');
    await writeFile(
      path,
      await kerasArchive(config, { 'layers/dense': w.a, 'layers/dense_1': w.b, 'layers/dense_2': w.c }),
    );
    // Proven in about a second on a quiet machine; the search stops once proven, so a generous limit only
    // keeps a loaded machine from failing the test.
    const cert = await certifyFile(path, 'logit:2', ['--time-limit', '120']);
    expect(cert.shape).toEqual([8]);
    const x = Float32Array.from(cert.input);
    const logits = dense(
      relu(dense(relu(dense(x, w.a.kernel, w.a.bias)), w.b.kernel, w.b.bias)),
      w.c.kernel,
      w.c.bias,
    );
    expectSound(cert, logits[2] as number);
    expect(cert.proven).toBe(true);
  });

  it('certifies a Keras 2 .h5 file (pre-softmax logit of the MNIST MLP)', async () => {
    const file = 'keras-h5-mnist-mlp/mnist.h5';
    const cert = await certifyFile(`${fixturesDir}${file}`, 'logit:3', ['--search', 'bounds']);
    expect(cert.shape).toEqual([28, 28]);
    const w = (name: string) => `model_weights/${name.split('/')[0]}/${name}`;
    const [k1, b1, k2, b2] = (await readHdf5Arrays(fixtureBytes(file), [
      w('dense_6/kernel:0'),
      w('dense_6/bias:0'),
      w('dense_7/kernel:0'),
      w('dense_7/bias:0'),
    ])) as Float32Array[];
    const x = Float32Array.from(cert.input);
    const logits = dense(
      relu(dense(x, k1 as Float32Array, b1 as Float32Array)),
      k2 as Float32Array,
      b2 as Float32Array,
    );
    expectSound(cert, logits[3] as number);
  });
});
