import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/testServer.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('errors about the request itself carry a code', () => {
  it('a variable that cannot be coerced is BAD_USER_INPUT, naming the variable, over HTTP', async () => {
    const result = await server
      .client()
      .request('query($every: Int!) { sharedRun(token: "x") { steps(every: $every) { step } } }', {
        every: 'NaN',
      });
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.message).toMatch(/^Variable "\$every" got invalid value "NaN"/);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'every' });
  });

  it('so is a missing required variable, and a Float given a string; parse and validation keep theirs', async () => {
    const client = server.client();
    const float = await client.request(
      'mutation($t: ID!, $m: ID!, $lr: Float!) { startRun(teamId: $t, modelId: $m, input: { target: { kind: LOGIT, index: 0 }, learningRate: $lr }) { id } }',
      { t: 'x', m: 'y', lr: 'NaN' },
    );
    expect(float.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'lr' });
    const missing = await client.request('query($k: String!) { sharedRun(token: $k) { id } }', {});
    expect(missing.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'k' });
    expect((await client.request('{ sharedRun(token: "x") { nope } }')).errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect((await client.request('{ sharedRun(')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('a field error keeps its own code (NOT_FOUND for an unknown link)', async () => {
    const result = await server.client().request('{ sharedRun(token: "nope") { id } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
