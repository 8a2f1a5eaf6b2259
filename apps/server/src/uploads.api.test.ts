import { readFile } from 'node:fs/promises';
import { badModelFiles } from '@argmax/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './testing/apiClient.ts';
import { startTestServer, type TestServer } from './testing/testServer.ts';

const fixtures = new URL('../../../packages/core/fixtures/models/', import.meta.url);
const file = async (path: string) => ({
  name: path.split('/').at(-1)!,
  bytes: new Uint8Array(await readFile(new URL(path, fixtures))),
});

const UPLOAD = `mutation($t: ID!, $n: String!, $files: [File!]!) {
  uploadModel(teamId: $t, name: $n, files: $files) { id name origin inputShape outputCount parameterCount } }`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    limits: { ...(await import('./config.ts')).configFromEnv({}).limits, maxUploadBytes: 3 * 1024 * 1024 },
  });
});
afterAll(async () => {
  await server?.close();
});

describe('model upload (GraphQL multipart)', () => {
  it('imports a Keras .h5 and a TF.js model.json with its shard, and runs an optimisation on it', async () => {
    const { client, teamId } = await server.signUp('uploader');
    const h5 = await client.upload<{
      uploadModel: { id: string; origin: string; inputShape: number[]; outputCount: number };
    }>(UPLOAD, { t: teamId, n: 'mnist h5' }, [await file('keras-h5-mnist-mlp/mnist.h5')]);
    expect(h5.errors).toBeUndefined();
    expect(h5.data?.uploadModel).toMatchObject({ origin: 'uploaded', inputShape: [28, 28], outputCount: 10 });
    const tfjs = await client.upload<{ uploadModel: { id: string; parameterCount: number } }>(
      UPLOAD,
      { t: teamId, n: 'mnist tfjs' },
      [await file('tfjs-mnist-mlp/model.json'), await file('tfjs-mnist-mlp/weights.bin')],
    );
    expect(tfjs.errors).toBeUndefined();
    expect(tfjs.data?.uploadModel.parameterCount).toBe(784 * 64 + 64 + 64 * 10 + 10);

    const modelId = h5.data!.uploadModel.id;
    const { startRun } = await client.data<{ startRun: { id: string } }>(
      'mutation($t: ID!, $m: ID!) { startRun(teamId: $t, modelId: $m, input: { target: { kind: LOGIT, index: 4 }, steps: 30, restarts: 2 }) { id } }',
      { t: teamId, m: modelId },
    );
    const events = await client.subscribe<{ runEvents: { __typename: string; status?: string } }>(
      'subscription($r: ID!) { runEvents(runId: $r) { __typename ... on RunStatusEvent { status } } }',
      { r: startRun.id },
    ).events;
    expect(events.at(-1)?.runEvents.status).toBe('SUCCEEDED');
  });

  it('takes a two-input model as one flat input (16 + 51 values) and optimises over both', async () => {
    const { client, teamId } = await server.signUp('two-inputs');
    const upload = await client.upload<{ uploadModel: { id: string; inputShape: number[] } }>(
      UPLOAD,
      { t: teamId, n: 'cvae' },
      [
        await file('tfjs-cvae-quickdraw-2inputs/model.json'),
        await file('tfjs-cvae-quickdraw-2inputs/group1-shard1of1'),
      ],
    );
    expect(upload.errors).toBeUndefined();
    expect(upload.data?.uploadModel.inputShape).toEqual([67]);
    const reference = Array.from({ length: 67 }, (_, i) => (i % 7) / 7);
    const start = `mutation($t: ID!, $m: ID!, $ref: [Float!]!) { startRun(teamId: $t, modelId: $m, input: {
      target: { kind: UNIT, layer: "dense_5", index: 0 }, steps: 20, restarts: 2,
      constraints: { box: { lo: 0, hi: 1 }, linf: { reference: $ref, epsilon: 0.1 } } }) { id } }`;
    const { startRun } = await client.data<{ startRun: { id: string } }>(start, {
      t: teamId,
      m: upload.data!.uploadModel.id,
      ref: reference,
    });
    await client.subscribe('subscription($r: ID!) { runEvents(runId: $r) { __typename } }', {
      r: startRun.id,
    }).events;
    const { run } = await client.data<{ run: { status: string; violation: number; bestInput: number[] } }>(
      'query($r: ID!) { run(id: $r) { status violation bestInput } }',
      { r: startRun.id },
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.bestInput).toHaveLength(67);
    expect(run.violation).toBeLessThanOrEqual(1e-6);
    expect(run.bestInput.every((v, i) => Math.abs(v - reference[i]!) <= 0.1 + 1e-6)).toBe(true);
    const short = await client.request(start, { t: teamId, m: upload.data!.uploadModel.id, ref: [0.5] });
    expect(short.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses uploads over the size limit and viewers', async () => {
    const { client, teamId } = await server.signUp('big-uploader');
    const big = await client.upload(UPLOAD, { t: teamId, n: 'big' }, [
      { name: 'big.keras', bytes: new Uint8Array(5 * 1024 * 1024) },
    ]);
    expect(big.status).toBe(413);
    expect(big.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const anonymous = await server
      .client()
      .upload(UPLOAD, { t: teamId, n: 'x' }, [await file('tfjs-mnist-mlp/model.json')]);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('bad model files through the upload (each made from a good fixture)', () => {
  const modelIds = async (client: ApiClient, teamId: string) =>
    (
      await client.data<{ models: { id: string }[] }>('query($t: ID!) { models(teamId: $t) { id } }', {
        t: teamId,
      })
    ).models.map((m) => m.id);

  it.each(badModelFiles)(
    '$name: BAD_USER_INPUT with the reason, nothing stored, the server still answers',
    async ({ build, message }) => {
      const { client, teamId } = await server.signUp('bad-file');
      const before = await modelIds(client, teamId);
      const files = (await build()).map(([name, bytes]) => ({ name, bytes }));
      const response = await client.upload(UPLOAD, { t: teamId, n: 'bad' }, files);
      expect(response.data?.uploadModel ?? null).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'files' });
      expect(response.errors?.[0]?.message).toMatch(message);
      expect(await modelIds(client, teamId)).toEqual(before);
    },
  );

  it('imports a good model right after a zip bomb', async () => {
    const { client, teamId } = await server.signUp('after-bomb');
    const before = await modelIds(client, teamId);
    const bomb = badModelFiles.find((f) => f.name.startsWith('a zip bomb inflating past'))!;
    const refused = await client.upload(
      UPLOAD,
      { t: teamId, n: 'bomb' },
      (await bomb.build()).map(([name, bytes]) => ({ name, bytes })),
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const good = await client.upload<{ uploadModel: { id: string } }>(UPLOAD, { t: teamId, n: 'good' }, [
      await file('tfjs-mnist-mlp/model.json'),
      await file('tfjs-mnist-mlp/weights.bin'),
    ]);
    expect(good.errors).toBeUndefined();
    expect(await modelIds(client, teamId)).toEqual(
      expect.arrayContaining([...before, good.data!.uploadModel.id]),
    );
    expect(await modelIds(client, teamId)).toHaveLength(before.length + 1);
  });
});
