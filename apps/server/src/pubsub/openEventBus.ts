import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import { createEventBus, type EventBus } from './eventBus.ts';

/** Redis did not answer when the bus opened (a start-up may wait for it: see startWhenReachable). */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

export interface OpenedEventBus {
  bus: EventBus;
  kind: 'memory' | 'redis';
  /** Throws when Redis does not answer (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * In-memory pub/sub, or Redis when a URL is given, so a subscriber on one server sees events published by
 * any other. `prefix` namespaces the channels (several deployments, or tests, on one Redis).
 */
export async function openEventBus(
  options: { redisUrl?: string; prefix?: string; log?: (line: string) => void } = {},
): Promise<OpenedEventBus> {
  if (!options.redisUrl)
    return { bus: createEventBus(), kind: 'memory', ping: async () => {}, close: async () => {} };
  // Reconnects forever (backing off to 5 s) and re-subscribes by itself once Redis is back.
  const prefix = options.prefix ?? 'argmax:';
  // Named so that CLIENT LIST tells them apart: `argmax:publish`, `argmax:subscribe`.
  const connect = (role: string) =>
    new Redis(options.redisUrl!, {
      // Redis refuses a name with spaces or newlines.
      connectionName: `${prefix}${role}`.replace(/[^\w:.-]/g, '_'),
      lazyConnect: true,
      maxRetriesPerRequest: 3,
      retryStrategy: (times) => Math.min(times * 200, 5000),
    });
  const publishClient = connect('publish');
  const subscribeClient = connect('subscribe');
  // The first connection's failure is the error thrown below; later ones are reported once (see below).
  const quiet = () => {};
  for (const client of [publishClient, subscribeClient]) client.on('error', quiet);
  try {
    await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  } catch (error) {
    publishClient.disconnect();
    subscribeClient.disconnect();
    throw new RedisUnavailableError(
      `Redis at ${redact(options.redisUrl)} is not reachable: ${(error as Error).message}`,
    );
  }
  const log = options.log ?? ((line: string) => console.warn(line));
  const reportOnce = outageReporter(redact(options.redisUrl), log);
  for (const client of [publishClient, subscribeClient]) {
    client.off('error', quiet);
    client.on('error', reportOnce.error);
    client.on('ready', reportOnce.ready);
  }
  // The event target fires publish/subscribe without awaiting them: a command refused while Redis is away
  // would be an unhandled rejection (a crash). Events published then are lost to live viewers only: steps
  // are in the database, and late joiners read them there.
  const target = createRedisEventTarget({
    publishClient: withCaughtCommands(publishClient, ['publish'], reportOnce.error),
    subscribeClient: withCaughtCommands(subscribeClient, ['subscribe', 'unsubscribe'], reportOnce.error),
  });
  // One connection answers in order: a PING's reply comes after every SUBSCRIBE sent before it. While
  // Redis is away nothing is delivered anyway, so a failed PING lets the caller go on.
  const listening = () =>
    subscribeClient.ping().then(
      () => {},
      () => {},
    );
  return {
    bus: createEventBus({ eventTarget: prefixed(target, prefix), listening }),
    kind: 'redis',
    ping: async () => {
      await publishClient.ping();
    },
    close: async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

type Target = ReturnType<typeof createRedisEventTarget>;

/** Adds `prefix` to every event type (the Redis channel name) in both directions. */
function prefixed(target: Target, prefix: string): Target {
  return {
    addEventListener: (type, listener, options) => target.addEventListener(prefix + type, listener, options),
    removeEventListener: (type, listener, options) =>
      target.removeEventListener(prefix + type, listener, options),
    dispatchEvent: (event) =>
      target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: (event as CustomEvent).detail })),
  };
}

/** The same client, with the named commands' failures reported instead of rejected. */
function withCaughtCommands(client: Redis, commands: string[], report: (error: Error) => void): Redis {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !commands.includes(property) || typeof value !== 'function')
        return value;
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch(report);
    },
  });
}

/** ioredis reports every failed reconnect: log an outage once, and its end. */
function outageReporter(where: string, log: (line: string) => void) {
  let down = '';
  return {
    error: (error: Error) => {
      if (error.message !== down) log(`Redis at ${where} (pub/sub): ${error.message}`);
      down = error.message;
    },
    ready: () => {
      if (down) log(`Redis at ${where} (pub/sub): connected again`);
      down = '';
    },
  };
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
