import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend.ts';
import { saveModel } from '../../models/saveModel.ts';
import { extractDenseRelu } from '../../network/denseReluChain.ts';
import { compileExactObjective } from '../../objectives/exactObjective.ts';
import { maximizeExactly } from '../../polish/exactMilp.ts';
import { linearDomainFor } from '../../testing/feasibleSets.ts';
import { randomReluMlp } from '../../testing/randomReluMlp.ts';
import type { CliIo } from '../command.ts';
import { optimizeCommand } from './optimize.ts';

const bin = fileURLToPath(new URL('../../../bin/argmax.js', import.meta.url));
const inputs = 16; // a 4×4 "image", so --png works
let dir: string;
const models: Record<string, tfl.LayersModel> = {};

beforeAll(async () => {
  await initBackend(undefined, () => {});
  dir = await mkdtemp(join(tmpdir(), 'argmax-optimize-cli-'));
  for (const seed of [1, 2, 3]) {
    models[seed] = randomReluMlp({ inputs, hidden: [12, 12], classes: 5, seed });
    await saveModel(models[seed]!, join(dir, `mlp${seed}`));
  }
  await writeFile(
    join(dir, 'ref.json'),
    JSON.stringify({ input: Array.from({ length: inputs }, (_, i) => i / 16) }),
  );
  await writeFile(join(dir, 'short.json'), JSON.stringify({ input: [0.5, 0.5] }));
  await writeFile(join(dir, 'nan.json'), `{"input": [${Array(inputs).fill('NaN').join(',')}]}`);
  await writeFile(join(dir, 'null.json'), JSON.stringify({ input: [...Array(inputs - 1).fill(0), null] }));
  const odd = randomReluMlp({ inputs: 10, hidden: [4], classes: 3, seed: 9 });
  await saveModel(odd, join(dir, 'odd'));
  odd.dispose();
  // A model whose weights hold NaN: the saved model with its weight bytes overwritten.
  await saveModel(models[1]!, join(dir, 'nan-model'));
  const weights = await readFile(join(dir, 'nan-model', 'weights.bin'));
  const floats = new Float32Array(weights.buffer, weights.byteOffset, weights.byteLength / 4);
  floats[3] = Number.NaN;
  await writeFile(join(dir, 'nan-model', 'weights.bin'), weights);
});
afterAll(async () => {
  for (const model of Object.values(models)) model.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY };
  const code = await optimizeCommand.run(argv, io);
  return { code, stdout, stderr };
}

/** Logits by a plain float32 tfjs forward pass over the Dense layers. */
function logits(model: tfl.LayersModel, x: ArrayLike<number>): Float32Array {
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

const model1 = () => join(dir, 'mlp1', 'model.json');

describe('argmax optimize: bad input', () => {
  it.each([
    [
      'a missing model file',
      ['--model', '$DIR/nope/model.json'],
      /^--model: received "nope\/model.json"; expected a readable/,
    ],
    [
      'NaN in the weights',
      ['--model', '$DIR/nan-model/model.json'],
      /weight .*1 value\(s\) are NaN or Infinity/,
    ],
    [
      'a target index past the outputs',
      ['--target', 'logit:5'],
      /^--target: received "logit:5"; expected a class index from 0 to 4 \(the model has 5 outputs\)$/,
    ],
    [
      'an unknown target form',
      ['--target', 'class:1'],
      /^--target: received "class:1"; expected logit:K, prob:K/,
    ],
    [
      'an unknown layer',
      ['--target', 'unit:nope:0'],
      /^--target: received "unit:nope:0"; expected a layer of this model: hidden1, hidden2, logits$/,
    ],
    ['a unit past the layer', ['--target', 'unit:hidden1:12'], /^--target: .*a unit index from 0 to 11/],
    ['lo > hi', ['--box', '1,0'], /^--box: received "1,0"; expected LO,HI with LO ≤ HI$/],
    ['a box that is no pair', ['--box', '0'], /^--box: received "0"; expected LO,HI/],
    ['a NaN bound', ['--box', 'NaN,1'], /^--box: received "NaN,1"; expected LO,HI with two finite numbers/],
    [
      'ε < 0',
      ['--linf', '$DIR/ref.json,-0.1'],
      /^--linf: received "ref.json,-0.1"; expected REF.json,EPS with a finite EPS ≥ 0$/,
    ],
    ['steps ≤ 0', ['--steps', '0'], /^--steps: received "0"; expected an integer from 1 to 1,000,000$/],
    ['absurdly many steps', ['--steps', '10000000'], /^--steps: received "10000000"/],
    [
      'restarts out of range',
      ['--restarts', '0'],
      /^--restarts: received "0"; expected an integer from 1 to 4,096$/,
    ],
    [
      'a reference of the wrong length',
      ['--linf', '$DIR/short.json,0.1'],
      /^--linf: received "short.json with 2 values"; expected 16 values, the model's input \[16\]$/,
    ],
    [
      'NaN in the reference',
      ['--l2', '$DIR/nan.json,1'],
      /^--l2: received "nan.json"; expected .*holds NaN or Infinity/,
    ],
    [
      'null in the reference',
      ['--linf', '$DIR/null.json,0.1'],
      /^--linf: .*1 of its values are not finite numbers/,
    ],
    [
      'a missing reference',
      ['--linf', '$DIR/gone.json,0.1'],
      /^--linf: received "gone.json"; expected .*ENOENT/,
    ],
    ['an unknown flag', ['--stepz', '3'], /^option: received "--stepz"; expected one of --model/],
    ['an unknown method', ['--method', 'sgd'], /^--method: received "sgd"; expected one of projected-adam/],
    [
      '--png for a non-image input',
      ['--png', '$DIR/x.png', '--model', '$DIR/odd/model.json'],
      /^--png: received "x.png"; expected a model whose input is an image .*this one takes \[10\]$/,
    ],
    [
      'an output folder that does not exist',
      ['--out', '$DIR/missing/result.json'],
      /^--out: received "missing\/result.json"; expected a file path in an existing folder/,
    ],
  ])('rejects %s with exit code 2, one line, and writes nothing', async (_, extra, message) => {
    // Defaults that work, with the case's flags replacing or adding to them.
    const flags = new Map([
      ['--model', model1()],
      ['--target', 'logit:1'],
      ['--out', join(dir, 'result.json')],
    ]);
    for (let i = 0; i < extra.length; i += 2) flags.set(extra[i]!, extra[i + 1]!.replace('$DIR', dir));
    const result = await run([...flags].flat());
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const line = lines[0]!.replace('argmax optimize: ', '').replaceAll(`${dir}/`, '');
    expect(line).toMatch(message);
    expect(result.stdout).toBe('');
    expect((await readdir(dir)).filter((f) => f.startsWith('result'))).toEqual([]);
  });
});

interface ResultJson {
  input: number[];
  shape: number[];
  value: number;
  outputs: { logits?: number[]; probabilities?: number[]; raw: number[] };
  violation: number;
  backend: string;
  method: string;
  steps: number;
  restarts: number;
  seconds: number;
}

describe('argmax optimize: results', () => {
  it('with its defaults reaches ≥ 0.999 of the exact (MILP) optimum on small ReLU MLPs', async () => {
    const { help } = optimizeCommand;
    for (const [seed, k] of [
      [1, 0],
      [2, 3],
      [3, 4],
    ] as const) {
      const out = join(dir, `defaults-${seed}.json`);
      const { code, stdout, stderr } = await run([
        '--model',
        join(dir, `mlp${seed}`, 'model.json'),
        '--target',
        `logit:${k}`,
        '--out',
        out,
        // The default counts, whatever the machine's load: a budget this large never cuts them (the budget's
        // own choice is tested in timeBudget.test.ts).
        '--time-budget',
        '1000',
      ]);
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ out, violation: 0, method: 'projected-adam' });
      const result: ResultJson = JSON.parse(await readFile(out, 'utf8'));
      // --help states the defaults a run without --steps/--restarts uses (projected-adam listed first).
      expect(help).toContain(`--steps N             optimisation steps (method default: ${result.steps}, `);
      // These nets have < 10,000 weights and no convolution: 8× projected-adam's default starts.
      expect(help).toContain(`starts optimised together (method default: ${result.restarts / 8}, `);
      expect(help).toContain(`projected-adam: ${result.restarts} for a network of ≤ 10,000 weights without`);
      expect(result.shape).toEqual([inputs]);
      expect(result.input).toHaveLength(inputs);
      expect(Math.min(...result.input)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...result.input)).toBeLessThanOrEqual(1);
      const model = models[seed]!;
      // The reported value is what a forward pass gives at the reported input.
      expect(logits(model, result.input)[k]).toBeCloseTo(result.value, 4);
      expect(result.outputs.logits?.[k]).toBeCloseTo(result.value, 4);

      const { network } = extractDenseRelu(model) as Extract<
        ReturnType<typeof extractDenseRelu>,
        { network: unknown }
      >;
      const objective = compileExactObjective(network, { kind: 'logit', index: k });
      const domain = linearDomainFor({}, inputs);
      if ('unsupported' in objective || 'unsupported' in domain) throw new Error('unsupported');
      const exact = await maximizeExactly(network, objective, domain, { timeLimitSeconds: 120 });
      expect(exact.status).toBe('optimal');
      expect(result.value).toBeGreaterThanOrEqual(exact.value - 1e-3 * Math.abs(exact.value));
    }
  });

  it('keeps an L∞ ball around a reference inside the box, and draws the answer as a PNG', async () => {
    const out = join(dir, 'linf.json');
    const png = join(dir, 'linf.png');
    const reference: number[] = JSON.parse(await readFile(join(dir, 'ref.json'), 'utf8')).input;
    const { code, stderr } = await run([
      ...['--model', model1(), '--target', 'margin:2', '--out', out, '--png', png],
      ...['--linf', `${join(dir, 'ref.json')},0.2`, '--box', '0.1,0.9', '--steps', '60', '--restarts', '8'],
    ]);
    expect(code, stderr).toBe(0);
    const result: ResultJson = JSON.parse(await readFile(out, 'utf8'));
    result.input.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(Math.max(0.1, reference[i]! - 0.2) - 1e-6);
      expect(v).toBeLessThanOrEqual(Math.min(0.9, reference[i]! + 0.2) + 1e-6);
    });
    expect(result.violation).toBeLessThanOrEqual(1e-6);
    const z = logits(models[1]!, result.input);
    expect(z[2]! - Math.max(...Array.from(z).filter((_, j) => j !== 2))).toBeCloseTo(result.value, 4);
    const image = PNG.sync.read(await readFile(png));
    expect([image.width, image.height]).toEqual([4 * 16, 4 * 16]);
    // Top-left pixel: input 0 drawn in gray over the box [0.1, 0.9].
    expect(image.data[0]).toBe(Math.round((255 * (result.input[0]! - 0.1)) / 0.8));
  });

  it('optimises a two-input model over both inputs: a flat reference of 16 + 51 values, inputs listed', async () => {
    const cvae = fileURLToPath(
      new URL('../../../fixtures/models/tfjs-cvae-quickdraw-2inputs/model.json', import.meta.url),
    );
    const reference = join(dir, 'cvae-ref.json');
    await writeFile(reference, JSON.stringify({ input: Array(16 + 51).fill(0.5) }));
    const out = join(dir, 'cvae.json');
    const { code, stderr } = await run([
      ...['--model', cvae, '--target', 'logit:406', '--out', out],
      ...['--linf', `${reference},0.25`, '--steps', '10', '--restarts', '4'],
    ]);
    expect(code, stderr).toBe(0);
    const result: ResultJson & { inputs: unknown } = JSON.parse(await readFile(out, 'utf8'));
    expect(result.inputs).toEqual([
      { name: 'latent_input', shape: [16] },
      { name: 'label', shape: [51] },
    ]);
    expect(result.input).toHaveLength(67);
    for (const v of result.input) {
      expect(v).toBeGreaterThanOrEqual(0.25 - 1e-6);
      expect(v).toBeLessThanOrEqual(0.75 + 1e-6);
    }
  });

  it('draws a progress bar on a terminal', async () => {
    const out = join(dir, 'tty.json');
    const argv = ['--model', model1(), '--target', 'logit:0', '--out', out, '--steps', '30', '--no-polish'];
    const { code, stderr } = await run(argv, true);
    expect(code).toBe(0);
    expect(stderr).toContain('\r\x1b[2K[########################] 30/30 100% objective ');
    expect(stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(JSON.parse(await readFile(out, 'utf8'))).not.toHaveProperty('valueBeforePolish');
  });

  it('runs as a user runs it: node bin/argmax.js, exit codes, quiet stderr off a terminal', async () => {
    const exec = promisify(execFile);
    const out = join(dir, 'spawned.json');
    const gif = join(dir, 'spawned.gif');
    const ok = await exec(process.execPath, [
      ...[bin, 'optimize', '--model', model1(), '--target', 'prob:0', '--out', out],
      ...['--method', 'normalized-gradient-ascent', '--steps', '20', '--seed', '7', '--gif', gif],
    ]);
    // Off a terminal: the backend line only, no progress bar.
    expect(ok.stderr).toMatch(/^argmax: tfjs backend \w+.*\n$/);
    expect(ok.stderr).not.toContain('\r');
    const result: ResultJson = JSON.parse(await readFile(out, 'utf8'));
    expect(result).toMatchObject({ method: 'normalized-gradient-ascent', steps: 20 });
    expect(result.outputs.probabilities?.[0]).toBeCloseTo(result.value, 5);
    expect(new TextDecoder().decode((await readFile(gif)).subarray(0, 6))).toBe('GIF89a');

    const bad = await exec(process.execPath, [
      ...[bin, 'optimize', '--model', model1(), '--target', 'logit:0'],
      ...['--out', join(dir, 'never.json'), '--box', '1,0'],
    ]).catch((error: { code: number; stderr: string }) => error);
    expect('code' in bad && bad.code).toBe(2);
    expect(bad.stderr).toBe('argmax optimize: --box: received "1,0"; expected LO,HI with LO ≤ HI\n');
    await expect(readFile(join(dir, 'never.json'))).rejects.toThrow(/ENOENT/);

    const help = await exec(process.execPath, [bin, 'optimize', '--help']);
    expect(help.stdout).toMatch(/^Usage: argmax optimize --model/);
  });
});
