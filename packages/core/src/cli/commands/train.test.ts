import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend.ts';
import { describeModel } from '../../models/describeModel.ts';
import { loadModel } from '../../models/loadModel.ts';
import type { CliIo } from '../command.ts';
import { trainCommand } from './train.ts';

let dir: string;
beforeAll(async () => {
  await initBackend(undefined, () => {});
  dir = await mkdtemp(join(tmpdir(), 'argmax-train-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(argv: string[], isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY };
  const code = await trainCommand.run(argv, io);
  return { code, stdout, stderr };
}

describe('argmax train', () => {
  it.each([
    [
      ['--dataset', 'mnist', '--out', 'x', '--bogus', '1'],
      /option: received "--bogus"; expected one of --dataset/,
    ],
    [['--dataset', 'mnist', '--out', 'x', 'extra'], /argument: received "extra"/],
    [
      ['--dataset', 'cifar10', '--out', 'x'],
      /--dataset: received "cifar10"; expected fashion-mnist or mnist/,
    ],
    [['--out', 'x'], /--dataset: received undefined; expected fashion-mnist or mnist/],
    [['--dataset', 'mnist'], /--out: received undefined/],
    [
      ['--dataset', 'mnist', '--out', 'x', '--epochs', 'five'],
      /--epochs: received "five"; expected an integer from 1 to 1000/,
    ],
    [['--dataset', 'mnist', '--out', 'x', '--epochs', '0'], /--epochs: received "0"/],
    [['--dataset', 'mnist', '--out', 'x', '--epochs', '2.5'], /--epochs: received "2.5"/],
    [
      ['--dataset', 'mnist', '--out', 'x', '--seed', '-1'],
      /--seed: received "-1"; expected an integer from 0/,
    ],
    [
      ['--dataset', 'mnist', '--out', 'x', '--learning-rate', '0'],
      /--learning-rate: received "0"; expected a finite number > 0/,
    ],
    [
      ['--dataset', 'mnist', '--out', 'x', '--arch', 'resnet'],
      /--arch: received "resnet"; expected mlp or cnn/,
    ],
    [
      ['--dataset', 'mnist', '--out', 'x', '--epochs'],
      /--epochs: received undefined; expected a value after --epochs/,
    ],
    [
      ['--dataset', 'mnist', '--dataset', 'fashion-mnist', '--out', 'x'],
      /--dataset: received "fashion-mnist"; expected --dataset once \(it was already given "mnist"\)/,
    ],
  ])('exits 2 with a one-line reason for %j', async (argv, reason) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });

  it('exits 2 when --out is an existing file', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const { code, stderr } = await run(['--dataset', 'mnist', '--out', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--out: received ".*a-file"; expected a folder path/);
  });

  it('trains, saves a loadable model with its metadata and prints a JSON summary', async () => {
    const out = join(dir, 'mnist-mlp');
    const { code, stdout, stderr } = await run(
      ['--dataset', 'mnist', '--epochs', '2', '--max-batches', '60', '--seed', '3', '--out', out],
      false,
    );
    expect(stderr).toMatch(/epoch 1\/2 loss .* test_accuracy/);
    expect(stderr).toMatch(/epoch 2\/2 /);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ dataset: 'mnist', arch: 'mlp', epochs: 2, seed: 3, loop: 'dense' });
    expect(summary.testAccuracy).toBeGreaterThan(0.8);
    expect((await readdir(out)).sort()).toEqual(['model.json', 'weights.bin']);
    const model = await loadModel(out);
    expect(describeModel(model).outputCount).toBe(10);
    const { out: printedOut, ...metadata } = summary;
    expect(printedOut).toBe(out);
    expect(model.getUserDefinedMetadata()).toEqual({ argmax: metadata });
  });

  it('draws a progress bar on a terminal', async () => {
    const { code, stderr } = await run(
      ['--dataset', 'mnist', '--epochs', '1', '--max-batches', '300', '--out', join(dir, 'tty')],
      true,
    );
    expect(code).toBe(0);
    // Each update returns to the line start and clears it (ESC [2K) before redrawing.
    const clear = '\r\u001b[2K';
    expect(stderr).toContain(`${clear}epoch 1/1 [`);
    expect(stderr).toMatch(/epoch 1\/1 \[#*-*\] \d+\/300 loss/);
  });

  it('writes nothing to --out when training fails', async () => {
    const out = join(dir, 'diverged');
    // A learning rate this large drives the weights to Infinity/NaN, which saveModel refuses.
    const { code, stdout, stderr } = await run([
      '--dataset',
      'mnist',
      '--epochs',
      '1',
      '--max-batches',
      '20',
      '--learning-rate',
      '1e30',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/NaN or Infinity.*nothing was written to/);
    expect(stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});
