import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from './services.ts';

/** /healthz: the process answers. /readyz: its dependencies answer too (the database). */
export async function handleHealth(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const path = req.url?.split('?')[0];
  if (path === '/healthz') {
    reply(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/readyz') {
    try {
      await services.storage.ping();
      reply(res, 200, {
        status: 'ready',
        storage: services.storageKind,
        pubsub: services.pubsubKind,
        backend: services.backend,
      });
    } catch (error) {
      reply(res, 503, {
        status: 'unavailable',
        storage: services.storageKind,
        error: (error as Error).message,
      });
    }
    return true;
  }
  return false;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
