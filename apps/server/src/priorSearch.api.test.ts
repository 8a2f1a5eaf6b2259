import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateObjective, initBackend, loadDataset, loadModel } from '@argmax/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeedModelDir } from './models/seedModel.ts';
import { startTestServer, type TestServer } from './testing/testServer.ts';

const START = `mutation($teamId: ID!, $modelId: ID!, $input: StartRunInput!) {
  startRun(teamId: $teamId, modelId: $modelId, input: $input) { id } }`;
const EVENTS = `subscription($runId: ID!) { runEvents(runId: $runId) { __typename } }`;
const RUN = `query($id: ID!) { run(id: $id) {
  status error value bestInput spec { prior accentuate diverse }
  certificate { status }
  realism { frontier { t } }
  accentuation { anchorIndex anchorImage anchorValue centreValue radius improved }
  prototypes { value image nearestDistance nearestPercentile manifoldPercentile judgesAgreeing realistic }
} }`;

interface RunResult {
  status: string;
  error: string | null;
  value: number;
  bestInput: number[];
  spec: { prior: string; accentuate: string | null; diverse: number | null };
  certificate: { status: string } | null;
  realism: { frontier: { t: number }[] | null } | null;
  accentuation: {
    anchorIndex: number | null;
    anchorImage: string;
    anchorValue: number;
    centreValue: number;
    radius: number;
    improved: boolean;
  } | null;
  prototypes:
    | {
        value: number;
        image: string;
        nearestDistance: number;
        nearestPercentile: number;
        manifoldPercentile: number;
        judgesAgreeing: number | null;
        realistic: boolean;
      }[]
    | null;
}

// One small prior (the server's `small` sample: 3,000 training images) for the whole file.
let server: TestServer;
let priors: string;
let seedModelId: string;
let model: LayersModel;
let client: ReturnType<TestServer['client']>;
let teamId: string;

beforeAll(async () => {
  priors = await mkdtemp(join(tmpdir(), 'argmax-priors-'));
  server = await startTestServer({ priors: { dir: priors, sample: 'small' } });
  ({ seedModelId } = (
    await server.client().data<{ system: { seedModelId: string } }>('{ system { seedModelId } }')
  ).system);
  ({ client, teamId } = await server.signUp('ana'));
  await initBackend(undefined, () => {});
  model = await loadModel(join(defaultSeedModelDir, 'model.json'));
});

afterAll(async () => {
  model?.dispose();
  await server?.close();
  await rm(priors, { recursive: true, force: true });
});

async function runToEnd(input: object): Promise<RunResult> {
  const { startRun } = await client.data<{ startRun: { id: string } }>(START, {
    teamId,
    modelId: seedModelId,
    input,
  });
  await client.subscribe(EVENTS, { runId: startRun.id }).events;
  return (await client.data<{ run: RunResult }>(RUN, { id: startRun.id })).run;
}

/** The small prior's training sample: evenly spaced rows of the training split, pixels byte / 255. */
async function trainingSample(count: number) {
  const data = await loadDataset('fashion-mnist');
  const rows = Array.from({ length: count }, (_, i) => Math.floor((i * data.train.count) / count));
  const image = (row: number) => data.train.images.subarray(row * 784, (row + 1) * 784);
  return { rows, image, label: (row: number) => data.train.labels[row]! };
}

const pngGrey = (url: string) => {
  const png = PNG.sync.read(Buffer.from(url.split(',')[1]!, 'base64'));
  expect([png.width, png.height]).toEqual([28, 28]);
  return Array.from({ length: 784 }, (_, j) => png.data[j * 4]!);
};

const logit = async (k: number, inputs: ArrayLike<number>[]) =>
  (
    await evaluateObjective(
      model,
      { kind: 'logit', index: k },
      inputs.map((x) => Float32Array.from(x)),
    )
  ).map((e) => e.value);

const base = { steps: 30, restarts: 4, seed: 1, prior: 'FASHION_MNIST' };

describe('accentuation and diverse prototypes in a dataset prior', () => {
  it("accentuates from the class's top-scoring training image: the anchor shown is that image, the answer no weaker than its projection", async () => {
    const run = await runToEnd({
      ...base,
      target: { kind: 'LOGIT', index: 3 },
      accentuate: { anchor: 'TYPICAL' },
    });
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.spec).toMatchObject({ prior: 'FASHION_MNIST', accentuate: 'TYPICAL', diverse: null });
    // The anchor by brute force: every training image of class 3 in the sample, scored by the seed model here.
    const { rows, image, label } = await trainingSample(3000);
    const ofClass = rows.map((row, i) => ({ row, i })).filter(({ row }) => label(row) === 3);
    const values = await logit(
      3,
      ofClass.map(({ row }) => Array.from(image(row), (b) => b / 255)),
    );
    const best = values.indexOf(Math.max(...values));
    const a = run.accentuation!;
    expect(a.anchorIndex).toBe(ofClass[best]!.i);
    expect(a.anchorValue).toBeCloseTo(values[best]!, 3);
    expect(pngGrey(a.anchorImage)).toEqual(Array.from(image(ofClass[best]!.row)));
    expect(a.radius).toBeGreaterThan(0);
    expect(run.value).toBeGreaterThanOrEqual(a.centreValue - 1e-4);
    const [atAnswer] = await logit(3, [run.bestInput]);
    expect(run.value).toBeCloseTo(atAnswer!, 3);
    // No certificate (it would bound the class search's set, not the ball around the anchor), no frontier.
    expect(run.certificate?.status).toBe('OFF');
    expect(run.realism).not.toBeNull();
    expect(run.realism!.frontier).toBeNull();
    expect(run.prototypes).toBeNull();
  }, 900_000);

  it('accentuates from a reference image the user gives: the anchor shown is that image, scored as given', async () => {
    const { rows, image, label } = await trainingSample(3000);
    const row = rows.filter((r) => label(r) === 8)[5]!;
    const reference = Array.from(image(row), (b) => b / 255);
    const run = await runToEnd({
      ...base,
      target: { kind: 'LOGIT', index: 8 },
      accentuate: { anchor: 'REFERENCE', reference },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.spec.accentuate).toBe('REFERENCE');
    const a = run.accentuation!;
    expect(a.anchorIndex).toBeNull();
    expect(pngGrey(a.anchorImage)).toEqual(Array.from(image(row)));
    const [atReference] = await logit(8, [reference]);
    expect(a.anchorValue).toBeCloseTo(atReference!, 3);
    expect(run.value).toBeGreaterThanOrEqual(a.centreValue - 1e-4);
  }, 600_000);

  it('accentuates from an image the server holds (a row of the training sample), and fails a row it does not hold', async () => {
    const { rows, image, label } = await trainingSample(3000);
    const i = rows.findIndex((row) => label(row) === 5);
    const run = await runToEnd({
      ...base,
      target: { kind: 'LOGIT', index: 5 },
      accentuate: { anchor: 'TRAINING', trainingIndex: i },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.spec.accentuate).toBe('TRAINING');
    const a = run.accentuation!;
    expect(a.anchorIndex).toBe(i);
    expect(pngGrey(a.anchorImage)).toEqual(Array.from(image(rows[i]!)));
    const [atAnchor] = await logit(5, [Array.from(image(rows[i]!), (b) => b / 255)]);
    expect(a.anchorValue).toBeCloseTo(atAnchor!, 3);
    expect(run.value).toBeGreaterThanOrEqual(a.centreValue - 1e-4);
    const outside = await runToEnd({
      ...base,
      target: { kind: 'LOGIT', index: 5 },
      accentuate: { anchor: 'TRAINING', trainingIndex: 3000 },
    });
    expect(outside.status).toBe('FAILED');
    expect(outside.error).toMatch(/accentuate.trainingIndex: received 3000; expected a row .*\(0\.\.2999\)/);
  }, 600_000);

  it('finds K distinct prototypes in one run, strongest first, each with its realism', async () => {
    const run = await runToEnd({ ...base, restarts: 8, target: { kind: 'LOGIT', index: 7 }, diverse: 3 });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.spec.diverse).toBe(3);
    expect(run.accentuation).toBeNull();
    const prototypes = run.prototypes!;
    expect(prototypes.length).toBeGreaterThanOrEqual(1);
    expect(prototypes.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < prototypes.length; i++)
      expect(prototypes[i]!.value).toBeLessThanOrEqual(prototypes[i - 1]!.value);
    const images = prototypes.map((p) => pngGrey(p.image));
    for (let i = 0; i < images.length; i++)
      for (let j = i + 1; j < images.length; j++)
        expect(Math.hypot(...images[i]!.map((b, q) => (b - images[j]![q]!) / 255))).toBeGreaterThan(0.1);
    // Each prototype's nearest training image, found again by brute force from its (8-bit) image.
    const { rows, image } = await trainingSample(3000);
    for (const [i, p] of prototypes.entries()) {
      let nearest = Number.POSITIVE_INFINITY;
      for (const row of rows) {
        const train = image(row);
        let sum = 0;
        for (let j = 0; j < 784; j++) sum += ((images[i]![j]! - train[j]!) / 255) ** 2;
        nearest = Math.min(nearest, Math.sqrt(sum));
      }
      // 8-bit rounding moves each pixel by at most 1/510: at most 28/510 in L2.
      expect(Math.abs(nearest - p.nearestDistance)).toBeLessThanOrEqual(28 / 510 + 1e-6);
      for (const pct of [p.nearestPercentile, p.manifoldPercentile]) {
        expect(pct).toBeGreaterThanOrEqual(0);
        expect(pct).toBeLessThanOrEqual(100);
      }
      if (p.realistic) expect(p.judgesAgreeing).toBe(1);
    }
  }, 600_000);

  it('refuses accentuation and prototypes where they cannot apply, naming the field', async () => {
    const reference = new Array(784).fill(0.5);
    const cases: [object, string][] = [
      [{ target: { kind: 'LOGIT', index: 1 }, accentuate: { anchor: 'TYPICAL' } }, 'accentuate'],
      [{ target: { kind: 'LOGIT', index: 1 }, diverse: 3 }, 'diverse'],
      [{ ...base, target: { kind: 'UNIT', index: 1, layer: 'dense' }, diverse: 3 }, 'diverse'],
      [{ ...base, target: { kind: 'LOGIT', index: 1 }, diverse: 9 }, 'diverse'],
      [
        { ...base, target: { kind: 'LOGIT', index: 1 }, accentuate: { anchor: 'TYPICAL' }, diverse: 2 },
        'diverse',
      ],
      [
        { ...base, target: { kind: 'LOGIT', index: 1 }, accentuate: { anchor: 'REFERENCE' } },
        'accentuate.reference',
      ],
      [
        {
          ...base,
          target: { kind: 'LOGIT', index: 1 },
          accentuate: { anchor: 'REFERENCE', reference: [1, 2] },
        },
        'accentuate.reference',
      ],
      [
        { ...base, target: { kind: 'LOGIT', index: 1 }, accentuate: { anchor: 'TRAINING' } },
        'accentuate.trainingIndex',
      ],
      [
        {
          ...base,
          target: { kind: 'LOGIT', index: 1 },
          accentuate: { anchor: 'TRAINING', trainingIndex: -1 },
        },
        'accentuate.trainingIndex',
      ],
      [
        { ...base, target: { kind: 'LOGIT', index: 1 }, accentuate: { anchor: 'TYPICAL', trainingIndex: 4 } },
        'accentuate.trainingIndex',
      ],
      [
        {
          ...base,
          target: { kind: 'LOGIT', index: 1 },
          accentuate: { anchor: 'REFERENCE', reference },
          certify: { timeLimitSeconds: 5 },
        },
        'certify.timeLimitSeconds',
      ],
    ];
    for (const [input, field] of cases) {
      const result = await client.request(START, { teamId, modelId: seedModelId, input });
      expect(result.errors?.[0]?.extensions, JSON.stringify(input).slice(0, 120)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
  });
});
