/** One counter an attempt is charged to: an account or a client address, with its own limit. */
export interface LimitedKey {
  key: string;
  /** Failed attempts allowed within the window; the next failure starts the lock-out. */
  limit: number;
  /** Names the limit in the error (`extensions.limit`). */
  name: string;
  /** A success clears the counter (an account); otherwise it only gives its reservation back (a client). */
  resetOnSuccess: boolean;
}

export interface Refusal {
  name: string;
  retryAfterMs: number;
}

export type Outcome = 'failed' | 'succeeded' | 'abandoned';

export interface AttemptLimits {
  windowMs: number;
  lockoutMs: number;
  now: () => number;
}

/**
 * Counts failed attempts per key within a window and locks a key out once it reaches its limit. An
 * attempt is reserved before it is tried (`acquire`) and settled after: a burst of concurrent attempts is
 * counted as it arrives, so it cannot try more than the limit before the first answers come back.
 */
export interface AttemptLimiter {
  readonly kind: 'memory' | 'redis';
  /** Reserves one attempt on every key, or on none and says which refused and for how long. */
  acquire(keys: LimitedKey[]): Promise<Refusal | null>;
  /** `failed` keeps the reservation as a failure; `succeeded` and `abandoned` (the attempt never ran) give it back. */
  settle(keys: LimitedKey[], outcome: Outcome): Promise<void>;
  close(): Promise<void>;
}

/** While the attempts that fill a key are still being checked, a new one waits this long. */
export const IN_FLIGHT_RETRY_MS = 1000;

interface KeyState {
  count: number;
  windowEnds: number;
  lockedUntil: number;
}

/**
 * This process's own counters: right for one server (the embedded default). Several API servers share
 * theirs through Redis (redisAttemptLimiter.ts, the same rules in one Lua script per step).
 */
export function memoryAttemptLimiter(limits: AttemptLimits): AttemptLimiter {
  const states = new Map<string, KeyState>();
  let acquiresSinceSweep = 0;
  const sweep = (now: number) => {
    for (const [key, s] of states) if (Math.max(s.windowEnds, s.lockedUntil) <= now) states.delete(key);
  };
  return {
    kind: 'memory',
    async acquire(keys) {
      const now = limits.now();
      if (++acquiresSinceSweep >= 1000) {
        acquiresSinceSweep = 0;
        sweep(now);
      }
      let refusal: Refusal | null = null;
      const next = keys.map((k) => {
        const s = { ...(states.get(k.key) ?? { count: 0, windowEnds: 0, lockedUntil: 0 }) };
        let wait = 0;
        if (s.lockedUntil > now) wait = s.lockedUntil - now;
        else {
          if (s.windowEnds <= now) Object.assign(s, { count: 0, windowEnds: now + limits.windowMs });
          if (s.count >= k.limit) wait = IN_FLIGHT_RETRY_MS;
        }
        if (wait > (refusal?.retryAfterMs ?? 0)) refusal = { name: k.name, retryAfterMs: wait };
        return s;
      });
      if (refusal) return refusal;
      for (const [i, k] of keys.entries()) states.set(k.key, { ...next[i]!, count: next[i]!.count + 1 });
      return null;
    },
    async settle(keys, outcome) {
      const now = limits.now();
      for (const k of keys) {
        const s = states.get(k.key);
        if (!s) continue;
        if (outcome === 'failed') {
          if (s.count >= k.limit && s.windowEnds > now)
            states.set(k.key, { count: 0, windowEnds: 0, lockedUntil: now + limits.lockoutMs });
        } else if (outcome === 'succeeded' && k.resetOnSuccess) states.delete(k.key);
        else s.count = Math.max(0, s.count - 1);
      }
    },
    close: async () => {},
  };
}
