import type { IncomingMessage } from 'node:http';
import type { Storage } from '@argmax/db';
import { clientAddress, trustedProxyList } from './auth/clientAddress.ts';
import type { ApiContext, Viewer } from './graphql/apiContext.ts';
import { SESSION_COOKIE } from './http/sessionCookie.ts';
import type { Services } from './services.ts';

/** What the transport gives us: an HTTP request (yoga) or a WebSocket upgrade request + connection params. */
export interface TransportContext {
  request?: Request;
  /** The Node request under `request` (yoga's server context): its socket names the peer. */
  req?: IncomingMessage;
  wsRequest?: IncomingMessage;
  connectionParams?: Record<string, unknown> | undefined;
}

export function createContextFactory(services: Services) {
  const trusted = trustedProxyList(services.config.trustedProxies);
  return async (transport: TransportContext): Promise<ApiContext> => {
    const credentials = readCredentials(transport);
    const nodeRequest = transport.req ?? transport.wsRequest;
    return {
      services,
      storage: services.storage,
      viewer: await resolveViewer(services.storage, credentials),
      clientAddress: nodeRequest ? clientAddress(nodeRequest, trusted) : 'unknown',
      ...(transport.request ? { request: transport.request } : {}),
    };
  };
}

interface Credentials {
  bearer?: string;
  session?: string;
}

function readCredentials(transport: TransportContext): Credentials {
  const header =
    transport.request?.headers.get('authorization') ??
    (transport.connectionParams?.authorization as string | undefined) ??
    transport.wsRequest?.headers.authorization;
  const cookieHeader = transport.request?.headers.get('cookie') ?? transport.wsRequest?.headers.cookie ?? '';
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const session = parseCookies(cookieHeader)[SESSION_COOKIE];
  return { ...(bearer ? { bearer } : {}), ...(session ? { session } : {}) };
}

export function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}

async function resolveViewer(storage: Storage, credentials: Credentials): Promise<Viewer | null> {
  // A Bearer token wins: scripts send one explicitly, cookies may be ambient.
  if (credentials.bearer) {
    const found = await storage.apiTokens.findValid(credentials.bearer);
    return found ? { user: found.user, via: 'token' } : null;
  }
  if (credentials.session) {
    const found = await storage.sessions.findValid(credentials.session);
    return found ? { user: found.user, via: 'session', sessionSecret: credentials.session } : null;
  }
  return null;
}
