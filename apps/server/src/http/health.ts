import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from '../observability/metrics.ts';
import { withTimeout } from '../withTimeout.ts';

/** What a process (API server or worker) reports on its health routes. */
export interface HealthSources {
  /** Each dependency that must answer for the process to be ready: throws (or times out) when it does not. */
  checks: Record<string, () => Promise<void>>;
  /** Shown on /readyz: storage, pubsub, queue, backend, worker id. */
  details: Record<string, string>;
  metrics: Metrics;
}

const CHECK_TIMEOUT_MS = 3000;

/**
 * /healthz: the process answers (liveness). /readyz: every dependency answers too (database, Redis, the
 * job queue), 503 naming the ones that do not. /metrics: Prometheus text format.
 */
export async function handleHealth(
  sources: HealthSources,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const path = req.url?.split('?')[0];
  if (path === '/healthz') {
    reply(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
    return true;
  }
  if (path === '/readyz') {
    const names = Object.keys(sources.checks);
    const results = await Promise.allSettled(
      names.map((name) => withTimeout(sources.checks[name]!(), CHECK_TIMEOUT_MS, `${name}: no answer`)),
    );
    const failures = Object.fromEntries(
      results.flatMap((result, i) =>
        result.status === 'rejected' ? [[names[i]!, (result.reason as Error).message]] : [],
      ),
    );
    const ready = Object.keys(failures).length === 0;
    const body = {
      status: ready ? 'ready' : 'unavailable',
      ...sources.details,
      ...(ready ? {} : { failures }),
    };
    reply(res, ready ? 200 : 503, 'application/json', JSON.stringify(body));
    return true;
  }
  if (path === '/metrics') {
    const { contentType, body } = await sources.metrics.render();
    reply(res, 200, contentType, body);
    return true;
  }
  return false;
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}
