import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import { createEventBus, type EventBus } from './eventBus.ts';

export interface OpenedEventBus {
  bus: EventBus;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * In-memory pub/sub, or Redis when a URL is given, so a subscriber on one server sees events published by
 * any other. `prefix` namespaces the channels (several deployments, or tests, on one Redis).
 */
export async function openEventBus(
  options: { redisUrl?: string; prefix?: string } = {},
): Promise<OpenedEventBus> {
  if (!options.redisUrl) return { bus: createEventBus(), kind: 'memory', close: async () => {} };
  const connect = () => new Redis(options.redisUrl!, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const publishClient = connect();
  const subscribeClient = connect();
  try {
    await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  } catch (error) {
    publishClient.disconnect();
    subscribeClient.disconnect();
    throw new Error(`Redis at ${redact(options.redisUrl)} is not reachable: ${(error as Error).message}`);
  }
  const target = createRedisEventTarget({ publishClient, subscribeClient });
  const prefix = options.prefix ?? 'argmax:';
  return {
    bus: createEventBus(prefixed(target, prefix)),
    kind: 'redis',
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

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
