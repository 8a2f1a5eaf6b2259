import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createGraphqlProxy } from './graphqlProxy.ts';

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

let api: Server;
let front: Server;
let frontUrl: string;
const seenUpgrades: IncomingMessage[] = [];

beforeAll(async () => {
  // A stand-in API: echoes what it received and sets a cookie, like sign-in does.
  api = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.setHeader('set-cookie', ['argmax_session=abc; Path=/; HttpOnly; SameSite=Lax', 'other=1; Path=/']);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          host: req.headers.host,
          cookie: req.headers.cookie,
          body,
        }),
      );
    });
  });
  const wss = new WebSocketServer({ server: api, path: '/graphql' });
  wss.on('connection', (socket, req) => {
    seenUpgrades.push(req);
    socket.on('message', (data) => socket.send(`echo:${data}:${req.headers.cookie ?? ''}`));
  });
  const apiPort = await listen(api);

  const proxy = createGraphqlProxy(`http://127.0.0.1:${apiPort}/graphql`);
  front = createServer((req, res) => {
    if (proxy.handles(req.url)) proxy.web(req, res);
    else res.writeHead(404).end('not the proxy');
  });
  front.on('upgrade', (req, socket, head) => {
    if (proxy.handles(req.url)) proxy.upgrade(req, socket, head);
    else socket.destroy();
  });
  frontUrl = `http://127.0.0.1:${await listen(front)}`;
});

afterAll(async () => {
  front.closeAllConnections();
  api.closeAllConnections();
  await close(front);
  await close(api);
});

describe('graphqlProxy', () => {
  it('forwards HTTP requests with body, query string and cookies, and passes every Set-Cookie back', async () => {
    const res = await fetch(`${frontUrl}/graphql?op=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'argmax_session=s1' },
      body: '{"query":"{ me { id } }"}',
    });
    const echoed = (await res.json()) as Record<string, string>;
    expect(echoed).toMatchObject({ method: 'POST', url: '/graphql?op=x', cookie: 'argmax_session=s1' });
    expect(echoed.body).toBe('{"query":"{ me { id } }"}');
    expect(echoed.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(res.headers.getSetCookie()).toEqual([
      'argmax_session=abc; Path=/; HttpOnly; SameSite=Lax',
      'other=1; Path=/',
    ]);
  });

  it('leaves other paths alone', async () => {
    expect((await fetch(`${frontUrl}/graphqlx`)).status).toBe(404);
    expect((await fetch(`${frontUrl}/runs`)).status).toBe(404);
  });

  it('carries WebSocket upgrades through, with the cookie, both ways', async () => {
    const socket = new WebSocket(`${frontUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
      headers: { cookie: 'argmax_session=s2' },
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    expect(socket.protocol).toBe('graphql-transport-ws');
    const reply = new Promise<string>((resolve) => socket.once('message', (d) => resolve(String(d))));
    socket.send('hello');
    expect(await reply).toBe('echo:hello:argmax_session=s2');
    socket.close();
  });

  it('answers a GraphQL-shaped 502 when the API is down', async () => {
    const down = createGraphqlProxy('http://127.0.0.1:1/graphql');
    const server = createServer((req, res) => down.web(req, res));
    const port = await listen(server);
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('API_UNREACHABLE');
    expect(body.errors[0]?.message).toContain('127.0.0.1:1');
    await close(server);
  });
});
