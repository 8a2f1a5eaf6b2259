import {
  type ClientRequest,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

/**
 * Forwards the dashboard's `/graphql` (HTTP and WebSocket upgrades) to the API, so the browser talks to one
 * origin: the API's HTTP-only session cookie is then first-party for fetches and for graphql-ws alike.
 * Next's `rewrites` would proxy HTTP too, but they are fixed at build time; this reads the API URL at start.
 */
export interface GraphqlProxy {
  /** True for the dashboard path this proxy owns (`/graphql`, any query string). */
  handles(url: string | undefined): boolean;
  web(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and must not be forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function createGraphqlProxy(apiUrl: string, publicPath = '/graphql'): GraphqlProxy {
  const target = new URL(apiUrl);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new Error(`ARGMAX_API_URL: received ${JSON.stringify(apiUrl)}; expected an http(s) URL`);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;

  const upstream = (req: IncomingMessage, headers: OutgoingHttpHeaders): ClientRequest => {
    const query = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    return send({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: target.pathname + query,
      headers,
    });
  };

  return {
    handles(url) {
      if (!url) return false;
      const path = url.split('?')[0];
      return path === publicPath;
    },

    web(req, res) {
      const proxied = upstream(req, forwardedHeaders(req, target, false));
      proxied.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res);
      });
      proxied.on('error', (error) => {
        if (res.headersSent) {
          res.destroy(error);
          return;
        }
        // A GraphQL-shaped answer, so the dashboard shows it like any other API error.
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [
              {
                message: `The API at ${target.origin} is unreachable (${(error as NodeJS.ErrnoException).code ?? error.message}); is it running?`,
                extensions: { code: 'API_UNREACHABLE' },
              },
            ],
          }),
        );
      });
      req.pipe(proxied);
    },

    upgrade(req, socket, head) {
      const proxied = upstream(req, forwardedHeaders(req, target, true));
      const fail = (status: string) => {
        if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
        socket.destroy();
      };
      socket.on('error', () => proxied.destroy());
      proxied.on('error', () => fail('502 Bad Gateway'));
      // The API refused the upgrade: pass its status line on and close.
      proxied.on('response', (answer) => {
        fail(`${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`.trim());
        answer.resume();
      });
      proxied.on('upgrade', (answer, apiSocket, apiHead) => {
        const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
        for (let i = 0; i < answer.rawHeaders.length; i += 2)
          lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (apiHead.length > 0) socket.write(apiHead);
        if (head.length > 0) apiSocket.write(head);
        apiSocket.on('error', () => socket.destroy());
        socket.on('error', () => apiSocket.destroy());
        apiSocket.on('close', () => socket.destroy());
        socket.on('close', () => apiSocket.destroy());
        apiSocket.pipe(socket);
        socket.pipe(apiSocket);
      });
      proxied.end();
    },
  };
}

function forwardedHeaders(req: IncomingMessage, target: URL, upgrade: boolean): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = withoutHopByHop(req.headers);
  headers.host = target.host;
  headers['x-forwarded-host'] = req.headers.host;
  headers['x-forwarded-proto'] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const prior = req.headers['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
  if (upgrade) {
    headers.connection = 'Upgrade';
    headers.upgrade = req.headers.upgrade ?? 'websocket';
  }
  return headers;
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}
