import { Redis } from 'ioredis';
import {
  type AttemptLimiter,
  type AttemptLimits,
  IN_FLIGHT_RETRY_MS,
  type LimitedKey,
  memoryAttemptLimiter,
  type Refusal,
} from './attemptLimiter.ts';

// The rules of memoryAttemptLimiter, run atomically in Redis so every API server counts the same attempts.
// A key is a hash {count, windowEnds, lockedUntil} (ms on the caller's clock) that expires when neither
// its window nor its lock-out is running any more.
const ACQUIRE = `
local now, window, inflight = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local worst, which, states = 0, 0, {}
for i, key in ipairs(KEYS) do
  local s = redis.call('HMGET', key, 'count', 'windowEnds', 'lockedUntil')
  local count, windowEnds, lockedUntil = tonumber(s[1]) or 0, tonumber(s[2]) or 0, tonumber(s[3]) or 0
  local wait = 0
  if lockedUntil > now then
    wait = lockedUntil - now
  else
    if windowEnds <= now then count, windowEnds = 0, now + window end
    if count >= tonumber(ARGV[3 + i]) then wait = inflight end
  end
  if wait > worst then worst, which = wait, i end
  states[i] = {count, windowEnds, lockedUntil}
end
if worst > 0 then return {which, worst} end
for i, key in ipairs(KEYS) do
  local s = states[i]
  redis.call('HSET', key, 'count', s[1] + 1, 'windowEnds', s[2], 'lockedUntil', s[3])
  redis.call('PEXPIRE', key, math.max(s[2], s[3]) - now + 1000)
end
return {0, 0}`;

const SETTLE = `
local now, lockout, outcome = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
for i, key in ipairs(KEYS) do
  local s = redis.call('HMGET', key, 'count', 'windowEnds')
  local count, windowEnds = tonumber(s[1]), tonumber(s[2]) or 0
  local limit, reset = tonumber(ARGV[2 + 2 * i]), ARGV[3 + 2 * i] == '1'
  if count ~= nil then
    if outcome == 'failed' then
      if count >= limit and windowEnds > now then
        redis.call('HSET', key, 'count', 0, 'windowEnds', 0, 'lockedUntil', now + lockout)
        redis.call('PEXPIRE', key, lockout + 1000)
      end
    elseif outcome == 'succeeded' and reset then
      redis.call('DEL', key)
    elseif count > 0 then
      redis.call('HSET', key, 'count', count - 1)
    end
  end
end
return 0`;

interface LimiterCommands {
  signInAcquire(...args: (string | number)[]): Promise<[number, number]>;
  signInSettle(...args: (string | number)[]): Promise<number>;
}

/**
 * Counters shared by every API server on one Redis (under `prefix`). While Redis does not answer, each
 * server counts on its own (in memory) rather than refusing every sign-in or letting every guess through.
 */
export async function redisAttemptLimiter(
  options: AttemptLimits & { redisUrl: string; prefix: string; log: (line: string) => void },
): Promise<AttemptLimiter> {
  // Fails fast while Redis is away (no offline queue): the fallback answers instead of a request waiting.
  const redis = new Redis(options.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  }) as Redis & LimiterCommands;
  redis.defineCommand('signInAcquire', { lua: ACQUIRE });
  redis.defineCommand('signInSettle', { lua: SETTLE });
  redis.on('error', () => {}); // reported once per outage below
  await redis.connect().catch(() => {});
  const fallback = memoryAttemptLimiter(options);
  let away = false;
  const shared = async <T>(command: () => Promise<T>, local: () => Promise<T>): Promise<T> => {
    try {
      const result = await command();
      if (away) options.log('sign-in limits: Redis answers again; counting there');
      away = false;
      return result;
    } catch (error) {
      if (!away)
        options.log(`sign-in limits: Redis did not answer (${(error as Error).message}); counting in memory`);
      away = true;
      return local();
    }
  };
  const keyOf = (k: LimitedKey) => `${options.prefix}${k.key}`;
  return {
    kind: 'redis',
    acquire: (keys) =>
      shared(
        async (): Promise<Refusal | null> => {
          const [which, wait] = await redis.signInAcquire(
            keys.length,
            ...keys.map(keyOf),
            options.now(),
            options.windowMs,
            IN_FLIGHT_RETRY_MS,
            ...keys.map((k) => k.limit),
          );
          return which > 0 ? { name: keys[which - 1]!.name, retryAfterMs: wait } : null;
        },
        () => fallback.acquire(keys),
      ),
    settle: (keys, outcome) =>
      shared(
        async () => {
          await redis.signInSettle(
            keys.length,
            ...keys.map(keyOf),
            options.now(),
            options.lockoutMs,
            outcome,
            ...keys.flatMap((k) => [k.limit, k.resetOnSuccess ? 1 : 0]),
          );
        },
        () => fallback.settle(keys, outcome),
      ),
    close: async () => {
      redis.disconnect();
    },
  };
}
