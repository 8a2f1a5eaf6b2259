import { createHash } from 'node:crypto';
import { limitExceeded } from '../errors.ts';
import type { AttemptLimiter, LimitedKey } from './attemptLimiter.ts';

export interface SignInGuard {
  /**
   * Runs one sign-in check for `email` from `client` under the limits: once either has failed too often,
   * LIMIT_EXCEEDED (with `retryAfterSeconds`) before any password is checked, right password or not.
   * `check` resolves to the user, or null for wrong credentials (a failure).
   */
  attempt<T>(email: string, client: string, check: () => Promise<T | null>): Promise<T | null>;
}

// The API's resolvers reach the guard as `services.signIn` (see graphql/apiContext.ts).
declare module '../graphql/apiContext.ts' {
  interface ApiServices {
    /** Failed sign-ins per account and client address: in Redis when configured, else in memory. */
    signIn: SignInGuard;
  }
}

// Counters are named by a digest: Redis never holds an email address, and every key has the same length.
const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

const explain: Record<string, string> = {
  signInAccount: 'too many failed sign-ins for this account',
  signInClient: 'too many failed sign-ins from this address',
};

export function signInGuard(
  limiter: AttemptLimiter,
  limits: { accountFailures: number; clientFailures: number },
): SignInGuard {
  return {
    async attempt<T>(email: string, client: string, check: () => Promise<T | null>) {
      const keys: LimitedKey[] = [
        {
          key: `signin:account:${digest(email)}`,
          limit: limits.accountFailures,
          name: 'signInAccount',
          resetOnSuccess: true,
        },
        {
          key: `signin:client:${digest(client)}`,
          limit: limits.clientFailures,
          name: 'signInClient',
          resetOnSuccess: false,
        },
      ];
      const refusal = await limiter.acquire(keys);
      if (refusal) {
        const seconds = Math.ceil(refusal.retryAfterMs / 1000);
        throw limitExceeded(refusal.name, `${explain[refusal.name]}; try again in ${seconds} s`, {
          retryAfterSeconds: seconds,
        });
      }
      let user: T | null;
      try {
        user = await check();
      } catch (error) {
        // Not an answer about the password (a full hash queue, the database away): not a failure.
        await limiter.settle(keys, 'abandoned');
        throw error;
      }
      await limiter.settle(keys, user ? 'succeeded' : 'failed');
      return user;
    },
  };
}
