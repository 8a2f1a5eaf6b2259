import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configFromEnv } from './config.ts';
import { startTestServer, type TestServer } from './testing/testServer.ts';

// The request body limit with its default (1 MiB), over real HTTP and graphql-ws: the whitespace that pads
// these queries costs no tokens, so only the byte limit can refuse them.
const MAX = configFromEnv({}).limits.maxBodyBytes;
const padded = (bytes: number) => `{ system { backend } ${' '.repeat(bytes)}}`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions: { code: string; limit?: string } }[] };
}

async function post(body: BodyInit, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    ...init,
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

describe('request body limit', () => {
  it('is 1 MiB by default', () => {
    expect(MAX).toBe(1024 * 1024);
  });

  it('answers a query just under the limit', async () => {
    const body = JSON.stringify({ query: padded(MAX - 100) });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX);
    const answer = await post(body);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toHaveProperty('system.backend');
  });

  it('refuses a 2 MB query with 413 and LIMIT_EXCEEDED (Content-Length known)', async () => {
    const answer = await post(JSON.stringify({ query: padded(2_000_000) }));
    expect(answer.status).toBe(413);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes' });
    expect(answer.body.errors?.[0]?.message).toMatch(`at most ${MAX}`);
  });

  it('refuses a streamed body without Content-Length once it passes the limit', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 3 MiB of whitespace after an opening brace: JSON that never gets to end.
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"query": "{ system { backend } '));
        if (sent >= 3 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const answer = await post(stream, { duplex: 'half' } as RequestInit);
    expect(answer.status).toBe(413);
    expect(answer.body.errors?.[0]?.extensions.limit).toBe('maxBodyBytes');
  });
});

describe('graphql-ws message limit', () => {
  /** Opens a graphql-ws connection, sends `message` after the handshake, and resolves with the close code. */
  const closeCodeAfter = (message: string) =>
    new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (data) => {
        const reply = JSON.parse(String(data)) as { type: string };
        if (reply.type === 'connection_ack') socket.send(message);
        if (reply.type === 'next' || reply.type === 'complete') socket.close(1000);
      });
      socket.on('close', (code) => resolve(code));
      socket.on('error', reject);
    });
  const subscribe = (query: string) => JSON.stringify({ id: '1', type: 'subscribe', payload: { query } });

  it('answers a message under the limit', async () => {
    expect(await closeCodeAfter(subscribe(padded(1000)))).toBe(1000); // closed by us after the answer
  });

  it('closes the connection with 1009 (message too big) on a 2 MB message', async () => {
    expect(await closeCodeAfter(subscribe(padded(2_000_000)))).toBe(1009);
  });
});
