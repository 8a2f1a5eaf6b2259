import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { saveModel } from '../models/saveModel.ts';
import { buildSeedMlp } from '../models/seedMlp.ts';
import { datasetPrior } from '../prior/datasetPrior.ts';
import { classSearch } from '../prior/optimizeForClass.ts';
import type { Prior } from '../prior/prior.ts';
import { priorCacheDir, priorDir } from '../prior/priorStore.ts';
import { smallPriorOptions } from '../prior/smallPrior.ts';
import { realismBounds } from '../realism/realismCriteria.ts';

const bin = fileURLToPath(new URL('../../bin/argmax.js', import.meta.url));
let dir: string;
let prior: Prior;
const model = buildSeedMlp({ seed: 5, units: 16 });

// The small MNIST prior (3,000 examples, 8 components, 6 per class, one small judge), built into a temporary cache
// under the name the CLI looks for, so `--prior mnist` loads it instead of building the real one.
beforeAll(async () => {
  await initBackend(undefined, () => {});
  dir = await mkdtemp(join(tmpdir(), 'argmax-prior-cli-'));
  await saveModel(model, join(dir, 'model'));
  ({ prior } = await datasetPrior('mnist', {
    cacheDir: priorCacheDir({ ARGMAX_CACHE_DIR: dir }),
    ...smallPriorOptions,
  }));
}, 240_000);
afterAll(async () => {
  model.dispose();
  for (const judge of prior?.judges ?? []) judge.model.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], command = 'optimize') {
  return promisify(execFile)('node', [bin, command, ...args], {
    env: { ...process.env, ARGMAX_CACHE_DIR: dir },
  });
}

/** Latent w of a class subspace decoded and clipped to [0, 1], by plain arithmetic. */
function decode(k: number, latent: ArrayLike<number>): number[] {
  const { decoder } = prior.classSubspaces![k]!;
  return Array.from(decoder.offset, (m, j) => {
    let v = m;
    for (let i = 0; i < decoder.latent; i++) v += latent[i]! * decoder.basis[i * decoder.size + j]!;
    return Math.min(1, Math.max(0, v));
  });
}

/** The model's logits at x, from its weights directly (its head is a softmax). */
function logits(x: ArrayLike<number>): number[] {
  const [w1, b1, w2, b2] = model.getWeights().map((w) => w.arraySync()) as [
    number[][],
    number[],
    number[][],
    number[],
  ];
  const hidden = b1.map((b, u) => {
    let sum = b;
    for (let j = 0; j < x.length; j++) sum += x[j]! * w1[j]![u]!;
    return Math.max(0, sum);
  });
  return b2.map((b, c) => hidden.reduce((s, h, u) => s + h * w2[u]![c]!, b));
}

describe('argmax optimize --prior', () => {
  it("answers inside the class's subspace and measures the answer against the data", async () => {
    const out = join(dir, 'R.json');
    const { stderr } = await cli([
      '--model',
      join(dir, 'model', 'model.json'),
      '--target',
      'logit:3',
      '--prior',
      'mnist',
      '--out',
      out,
    ]);
    expect(stderr).not.toMatch(/building/);
    const record = JSON.parse(await readFile(out, 'utf8'));
    const latent = Float64Array.from(record.latent as number[]);
    expect(latent.length).toBe(6);
    // Class 3's own subspace, its ball and bounds grown by the search's scale (one of the listed ones).
    const { lo, hi, radius } = prior.classSubspaces![3]!;
    expect(record.prior).toMatchObject({
      name: 'mnist',
      method: 'class-subspace',
      classIndex: 3,
      components: 6,
    });
    const scale = record.prior.radius / radius;
    expect(classSearch.radiusScales.some((s) => Math.abs(s - scale) < 1e-6)).toBe(true);
    expect(record.prior.rayFraction).toBeGreaterThanOrEqual(0);
    expect(record.prior.rayFraction).toBeLessThanOrEqual(1);
    expect(Math.hypot(...latent)).toBeLessThanOrEqual(record.prior.radius * (1 + 1e-5));
    latent.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(lo[i]! * scale - 1e-5);
      expect(w).toBeLessThanOrEqual(hi[i]! * scale + 1e-5);
    });
    // The answer is the decoded, clipped latent point...
    const x = decode(3, latent);
    for (const [j, v] of (record.input as number[]).entries()) expect(v).toBeCloseTo(x[j]!, 4);
    // ...its value is the model's logit 3 there, from the weights directly...
    expect(record.value).toBeCloseTo(logits(record.input)[3]!, 3);
    // ...and realism names the nearest training image a brute-force search finds.
    const train = prior.realism.train;
    let best = Number.POSITIVE_INFINITY;
    let bestIndex = -1;
    for (let i = 0; i < train.count; i++) {
      let sum = 0;
      for (let j = 0; j < 784; j++) sum += (record.input[j] - train.values[i * 784 + j]!) ** 2;
      if (sum < best) [best, bestIndex] = [sum, i];
    }
    expect(record.realism.nearestTraining.index).toBe(bestIndex);
    expect(record.realism.nearestTraining.distance).toBeCloseTo(Math.sqrt(best), 3);
    expect(record.realism.nearestTraining.percentile).toBeGreaterThanOrEqual(0);
    expect(record.realism.nearestTraining.percentile).toBeLessThanOrEqual(100);
    // The manifold distance is measured against the 12 realism components.
    expect(record.realism.manifold.components).toBe(12);
    expect(record.realism.judges).toHaveLength(1);
    expect(record.realism.judges[0].name).toBe(smallPriorOptions.settings.judges[0]!.name);
    // Realism as measured says whether the search met its criteria.
    const bounds = realismBounds(prior.realism);
    const nearest = record.realism.nearestTraining.distance;
    const met =
      nearest >= bounds.nearestLow &&
      nearest <= bounds.nearestHigh &&
      record.realism.manifold.distance <= bounds.manifoldHigh &&
      record.realism.judgesAgreeing === 1;
    expect(record.prior.realistic).toBe(met);
  }, 120_000);

  it('refuses other input constraints together with a prior, and a model of other inputs', async () => {
    const ref = join(dir, 'ref.json');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(ref, JSON.stringify({ input: new Array(784).fill(0) })),
    );
    const args = [
      '--model',
      join(dir, 'model', 'model.json'),
      '--target',
      'logit:3',
      '--prior',
      'mnist',
      '--out',
      join(dir, 'X.json'),
    ];
    await expect(cli([...args, '--l2', `${ref},1`])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--prior without --l2/),
    });
    const small = buildSeedMlp({ seed: 1, units: 4, inputShape: [4, 4, 1] });
    await saveModel(small, join(dir, 'small'));
    small.dispose();
    args[1] = join(dir, 'small', 'model.json');
    await expect(cli(args)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/\[28, 28, 1\] image/),
    });
  }, 120_000);

  it('keeps the prior in the cache folder under its format version', async () => {
    expect(priorDir(priorCacheDir({ ARGMAX_CACHE_DIR: dir }), 'mnist')).toMatch(/priors[/\\]mnist-v\d+$/);
    const manifest = JSON.parse(
      await readFile(join(priorDir(priorCacheDir({ ARGMAX_CACHE_DIR: dir }), 'mnist'), 'prior.json'), 'utf8'),
    );
    expect(manifest.latent).toBe(8);
    expect(manifest.trainCount).toBe(3000);
  });
});

describe('an upper bound inside the prior', () => {
  const model3 = (target = 'logit:3') => [
    '--model',
    join(dir, 'model', 'model.json'),
    '--target',
    target,
    '--prior',
    'mnist',
  ];

  it('argmax certify --prior bounds every point of the class subspace the search kept', async () => {
    const out = join(dir, 'C.json');
    await cli([...model3(), '--time-limit', '3', '--out', out], 'certify');
    const record = JSON.parse(await readFile(out, 'utf8'));
    expect(record.prior).toMatchObject({ name: 'mnist', method: 'class-subspace', classIndex: 3 });
    expect(record.incumbent).toBe('prior-search');
    // The search's answer and the certificate's best point are points of the region, under the bound.
    expect(record.upperBound).toBeGreaterThanOrEqual(record.answerValue);
    expect(record.upperBound).toBeGreaterThanOrEqual(record.bestValue);
    expect(record.bestValue).toBeGreaterThanOrEqual(record.answerValue - 1e-4);
    const x = decode(3, record.latent);
    for (const [j, v] of (record.input as number[]).entries()) expect(v).toBeCloseTo(x[j]!, 4);
    expect(record.bestValue).toBeCloseTo(logits(x)[3]!, 3);
    // Random points of the searched set (bounds ∩ ball at the scale kept) all score below the bound.
    const { lo, hi, radius } = prior.classSubspaces![3]!;
    const scale = record.prior.scale as number;
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let highest = Number.NEGATIVE_INFINITY;
    for (let n = 0; n < 300; n++) {
      const w = Array.from(lo, (l, i) => scale * (l + (hi[i]! - l) * random()));
      const norm = Math.hypot(...w);
      const inside = norm > radius * scale ? w.map((v) => (v * radius * scale) / norm) : w;
      highest = Math.max(highest, logits(decode(3, inside))[3]!);
    }
    expect(record.upperBound).toBeGreaterThanOrEqual(highest);
  }, 120_000);

  it('optimize --prior --certify adds the bound to RESULT.json', async () => {
    const out = join(dir, 'RC.json');
    await cli([...model3(), '--certify', '2', '--out', out]);
    const record = JSON.parse(await readFile(out, 'utf8'));
    const bound = record.prior.upperBound;
    expect(bound.value).toBeGreaterThanOrEqual(record.value);
    expect(bound.value).toBeGreaterThanOrEqual(bound.bestValue);
    expect(bound.gap).toBeCloseTo((bound.value - record.value) / Math.abs(bound.value), 6);
    expect(bound.region).toMatch(/superset/);
    await expect(
      cli([
        '--model',
        join(dir, 'model', 'model.json'),
        '--target',
        'logit:3',
        '--certify',
        '2',
        '--out',
        out,
      ]),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--certify with --prior/) });
    await expect(cli([...model3('prob:3'), '--certify', '2', '--out', out])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/logit:K or margin:K target/),
    });
  }, 120_000);

  it('optimize --prior --diverse writes several realistic answers and draws them side by side', async () => {
    const out = join(dir, 'RD.json');
    const png = join(dir, 'RD.png');
    await cli([...model3(), '--diverse', '2', '--out', out, '--png', png]);
    const record = JSON.parse(await readFile(out, 'utf8'));
    const diverse = record.diverse as {
      value: number;
      latent: number[];
      input: number[];
      realism: { judgesAgreeing: number };
    }[];
    expect(diverse.length).toBeGreaterThanOrEqual(1);
    expect(diverse.length).toBeLessThanOrEqual(2);
    for (const answer of diverse) {
      expect(answer.realism.judgesAgreeing).toBe(1);
      expect(answer.value).toBeCloseTo(logits(decode(3, answer.latent))[3]!, 3);
    }
    // One strip: the answers 28 pixels wide each, a 1-pixel gap between, upscaled 10×.
    const { PNG } = await import('pngjs');
    const image = PNG.sync.read(await readFile(png));
    expect(image.width).toBe((diverse.length * 28 + diverse.length - 1) * 10);
    expect(image.height).toBe(280);
    await expect(
      cli([
        '--model',
        join(dir, 'model', 'model.json'),
        '--target',
        'logit:3',
        '--diverse',
        '2',
        '--out',
        out,
      ]),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--diverse with --prior/) });
  }, 120_000);
  it('optimize --prior --frontier writes the ray from the class mean through the answer, each point scored', async () => {
    const out = join(dir, 'RF.json');
    await cli([...model3(), '--frontier', '--box-max', '40', '--out', out]);
    const record = JSON.parse(await readFile(out, 'utf8'));
    const frontier = record.frontier as {
      t: number;
      value: number;
      fraction: number;
      input: number[];
      realism: { nearestTraining: { percentile: number } };
      realistic: boolean;
    }[];
    expect(frontier.length).toBeGreaterThanOrEqual(8);
    expect(frontier[0]!.t).toBe(0);
    // t = 0 is the class mean; t = 1 is the answer written.
    for (const [j, v] of decode(3, new Array(6).fill(0)).entries())
      expect(frontier[0]!.input[j]).toBeCloseTo(v, 5);
    const answer = frontier.find((p) => p.t === 1)!;
    expect(answer.value).toBeCloseTo(record.value, 5);
    expect(answer.input).toEqual(record.input);
    for (const point of frontier) {
      expect(point.value).toBeCloseTo(logits(point.input)[3]!, 3);
      expect(point.fraction).toBeCloseTo(point.value / 40, 6);
      const x = decode(
        3,
        record.latent.map((w: number) => w * point.t),
      );
      for (const [j, v] of x.entries()) expect(point.input[j]).toBeCloseTo(v, 5);
    }
    await expect(cli([...model3(), '--box-max', '40', '--out', out])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--box-max with --frontier/),
    });
  }, 120_000);
});

describe('argmax optimize --prior --accentuate', () => {
  const args = (target: string, out: string) => [
    '--model',
    join(dir, 'model', 'model.json'),
    '--target',
    target,
    '--prior',
    'mnist',
    '--accentuate',
    '--out',
    out,
  ];

  it('starts from the highest-scoring training image of the class and stays within the stated radius of it', async () => {
    const out = join(dir, 'A.json');
    await cli(args('logit:3', out));
    const record = JSON.parse(await readFile(out, 'utf8'));
    // The anchor by brute force over the prior's training images of class 3.
    const { train, trainLabels } = prior.realism;
    let anchor = -1;
    let anchorValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < train.count; i++) {
      if (trainLabels![i] !== 3) continue;
      const v = logits(train.values.subarray(i * 784, (i + 1) * 784))[3]!;
      if (v > anchorValue) [anchor, anchorValue] = [i, v];
    }
    expect(record.prior).toMatchObject({
      name: 'mnist',
      method: 'accentuation',
      classIndex: 3,
      anchorIndex: anchor,
    });
    expect(record.prior.anchorValue).toBeCloseTo(anchorValue, 3);
    // Within the stated radius (half the class ball) of the anchor's latent point.
    const { decoder, radius } = prior.classSubspaces![3]!;
    expect(record.prior.radius).toBeCloseTo(radius / 2, 5);
    const w0 = record.prior.anchorLatent as number[];
    for (let i = 0; i < decoder.latent; i++) {
      let dot = 0;
      let norm = 0;
      for (let j = 0; j < 784; j++) {
        const b = decoder.basis[i * 784 + j]!;
        dot += (train.values[anchor * 784 + j]! - decoder.offset[j]!) * b;
        norm += b * b;
      }
      expect(w0[i]).toBeCloseTo(dot / norm, 3);
    }
    const latent = record.latent as number[];
    expect(Math.hypot(...latent.map((w, i) => w - w0[i]!))).toBeLessThanOrEqual((radius / 2) * (1 + 1e-4));
    expect(record.value).toBeCloseTo(logits(record.input)[3]!, 3);
    const x = decode(3, latent);
    for (const [j, v] of (record.input as number[]).entries()) expect(v).toBeCloseTo(x[j]!, 4);
    // No weaker than the search's centre, the anchor's projection.
    const centreValue = logits(decode(3, w0))[3]!;
    expect(record.prior.centreValue).toBeCloseTo(centreValue, 3);
    expect(record.value).toBeGreaterThanOrEqual(centreValue - 1e-4);
  }, 120_000);

  it('--anchor: starts from a PNG the user gives instead, its projection the centre', async () => {
    // The reference: a training image of class 3 (not the highest-scoring one), as 8-bit grey.
    const { train, trainLabels } = prior.realism;
    const rows = Array.from({ length: train.count }, (_, i) => i).filter((i) => trainLabels![i] === 3);
    const row = rows[Math.floor(rows.length / 2)]!;
    const bytes = Array.from(train.values.subarray(row * 784, (row + 1) * 784), (v) => Math.round(v * 255));
    const { PNG } = await import('pngjs');
    const png = new PNG({ width: 28, height: 28 });
    png.data = Buffer.from(bytes.flatMap((b) => [b, b, b, 255]));
    const path = join(dir, 'anchor.png');
    await writeFile(path, PNG.sync.write(png));
    const out = join(dir, 'R.json');
    await cli([...args('logit:3', out), '--anchor', path]);
    const record = JSON.parse(await readFile(out, 'utf8'));
    expect(record.prior).toMatchObject({ method: 'accentuation', classIndex: 3, anchorIndex: null });
    const reference = bytes.map((b) => b / 255);
    expect(record.prior.anchorValue).toBeCloseTo(logits(reference)[3]!, 3);
    const { decoder, radius } = prior.classSubspaces![3]!;
    const w0 = record.prior.anchorLatent as number[];
    for (let i = 0; i < decoder.latent; i++) {
      let dot = 0;
      let norm = 0;
      for (let j = 0; j < 784; j++) {
        const b = decoder.basis[i * 784 + j]!;
        dot += (reference[j]! - decoder.offset[j]!) * b;
        norm += b * b;
      }
      expect(w0[i]).toBeCloseTo(dot / norm, 3);
    }
    const latent = record.latent as number[];
    expect(Math.hypot(...latent.map((w, i) => w - w0[i]!))).toBeLessThanOrEqual((radius / 2) * (1 + 1e-4));
    expect(record.value).toBeGreaterThanOrEqual(logits(decode(3, w0))[3]! - 1e-4);
    await expect(
      cli([...args('logit:3', out).filter((a) => a !== '--accentuate'), '--anchor', path]),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--anchor with --accentuate/) });
    const small = new PNG({ width: 4, height: 4 });
    small.data = Buffer.alloc(64, 255);
    await writeFile(path, PNG.sync.write(small));
    await expect(cli([...args('logit:3', out), '--anchor', path])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--anchor.*28×28 PNG/),
    });
  }, 120_000);

  it('refuses a target that names no class, and the extras that search the whole class subspace', async () => {
    await expect(cli(args('unit:dense:0', join(dir, 'B.json')))).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--accentuate.*class target/),
    });
    await expect(cli([...args('logit:3', join(dir, 'B.json')), '--frontier'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--accentuate without --frontier/),
    });
    const withoutPrior = args('logit:3', join(dir, 'B.json')).filter((a) => a !== '--prior' && a !== 'mnist');
    await expect(cli(withoutPrior)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--accentuate with --prior/),
    });
  }, 120_000);
});
