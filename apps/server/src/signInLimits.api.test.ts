import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from './config.ts';
import { deleteRedisKeys, redisForTests, TEST_REDIS_URL } from './testing/redisForTests.ts';
import { startTestServer, type TestServer } from './testing/testServer.ts';

// Failed sign-ins per account and per client address, over real HTTP. The limits' clock is the test's:
// it moves past a lock-out instead of sleeping through it, and no assertion depends on how fast anything ran.
const PASSWORD = 'correct horse battery';
const SIGN_IN = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }';

interface SignInError {
  message: string;
  extensions: { code: string; limit?: string; retryAfterSeconds?: number };
}

/** One sign-in as its own client (no cookie kept), optionally through a proxy that names the client. */
async function signIn(
  server: TestServer,
  email: string,
  password: string,
  forwardedFor?: string,
): Promise<{ ok: boolean; error?: SignInError }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ query: SIGN_IN, variables: { e: email, p: password } }),
  });
  const body = (await response.json()) as {
    data?: { signIn: { id: string } | null };
    errors?: SignInError[];
  };
  return body.data?.signIn ? { ok: true } : { ok: false, error: body.errors![0]! };
}

const codeOf = (result: { ok: boolean; error?: SignInError }) =>
  result.ok ? 'ok' : result.error!.extensions.code;

const clock = { ms: Date.parse('2030-01-01T00:00:00Z') };
const limits = (overrides: Partial<ServerConfig['signIn']>): Partial<ServerConfig> => ({
  signIn: { accountFailures: 3, clientFailures: 100, windowSeconds: 60, lockoutSeconds: 120, ...overrides },
  now: () => clock.ms,
});

const redisReady = await redisForTests();
const redisPrefix = `argmax-test-${randomUUID()}:`;

// The same rules counted in this process's memory, and in Redis shared by two servers (each request goes
// to the other one: the counters, not the server, decide). The account need not exist on the server that
// counts its failures: the counters are per email, so they do not say which accounts exist.
const setups = [
  { name: 'in memory, one server', redis: false },
  { name: 'in Redis, two servers', redis: true },
];

describe.each(setups)('sign-in limits $name', ({ redis }) => {
  const servers: TestServer[] = [];
  let turn = 0;
  const next = () => servers[turn++ % servers.length]!;

  beforeAll(async () => {
    if (redis && !redisReady) return;
    const shared = redis ? { redisUrl: TEST_REDIS_URL, redisPrefix } : {};
    servers.push(await startTestServer({ ...limits({}), ...shared }));
    if (redis) servers.push(await startTestServer({ ...limits({}), ...shared }));
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    if (redis && redisReady) await deleteRedisKeys(redisPrefix);
  });

  it.skipIf(redis && !redisReady)(
    'locks an account after 3 failures, right password too, until the lock-out has passed',
    async () => {
      // The account exists on every server (each has its own embedded database).
      const email = `victim-${randomUUID()}@example.com`;
      for (const server of servers)
        await server
          .client()
          .data('mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { id } }', {
            e: email,
            p: PASSWORD,
          });
      for (let i = 0; i < 3; i++)
        expect(codeOf(await signIn(next(), email, 'wrong password!'))).toBe('UNAUTHENTICATED');

      const locked = await signIn(next(), email, PASSWORD);
      expect(locked.error?.extensions).toEqual({
        code: 'LIMIT_EXCEEDED',
        limit: 'signInAccount',
        retryAfterSeconds: 120,
      });
      expect(locked.error?.message).toMatch(/try again in 120 s/);

      clock.ms += 119_000;
      expect((await signIn(next(), email, PASSWORD)).error?.extensions.retryAfterSeconds).toBe(1);
      clock.ms += 1_000;
      expect(codeOf(await signIn(next(), email, PASSWORD))).toBe('ok');

      // A success clears the account's failures: 3 more are allowed before the next lock-out.
      for (let i = 0; i < 3; i++)
        expect(codeOf(await signIn(next(), email, 'wrong password!'))).toBe('UNAUTHENTICATED');
      expect(codeOf(await signIn(next(), email, PASSWORD))).toBe('LIMIT_EXCEEDED');
      clock.ms += 120_000;
    },
  );

  it.skipIf(redis && !redisReady)('forgets failures older than the window', async () => {
    const email = `forgetful-${randomUUID()}@example.com`;
    for (const server of servers)
      await server
        .client()
        .data('mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { id } }', {
          e: email,
          p: PASSWORD,
        });
    for (let i = 0; i < 2; i++) await signIn(next(), email, 'wrong password!');
    clock.ms += 60_000;
    for (let i = 0; i < 2; i++)
      expect(codeOf(await signIn(next(), email, 'wrong password!'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await signIn(next(), email, PASSWORD))).toBe('ok');
  });

  it.skipIf(redis && !redisReady)(
    'counts a burst as it arrives: 20 concurrent wrong passwords get 3 answers, the rest LIMIT_EXCEEDED',
    async () => {
      const email = `burst-${randomUUID()}@example.com`;
      const results = await Promise.all(
        Array.from({ length: 20 }, () => signIn(next(), email, 'wrong password!')),
      );
      const codes = results.map(codeOf);
      expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(3);
      expect(codes.filter((c) => c === 'LIMIT_EXCEEDED')).toHaveLength(17);
      clock.ms += 120_000;
    },
  );
});

describe('sign-in limits per client address', () => {
  let direct: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    direct = await startTestServer({
      ...limits({ accountFailures: 100, clientFailures: 4 }),
      trustedProxies: [],
    });
    proxied = await startTestServer({
      ...limits({ accountFailures: 100, clientFailures: 4 }),
      trustedProxies: ['loopback'],
    });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  const guessAccounts = async (server: TestServer, count: number, forwardedFor?: string) => {
    for (let i = 0; i < count; i++)
      expect(
        codeOf(await signIn(server, `guess-${randomUUID()}@example.com`, 'wrong password!', forwardedFor)),
      ).toBe('UNAUTHENTICATED');
  };

  it('locks out a client that failed on 4 different accounts, for every account, and ignores X-Forwarded-For from an untrusted peer', async () => {
    const { email } = await direct.signUp('bystander');
    await guessAccounts(direct, 4);
    const refused = await signIn(direct, email, PASSWORD);
    expect(refused.error?.extensions).toEqual({
      code: 'LIMIT_EXCEEDED',
      limit: 'signInClient',
      retryAfterSeconds: 120,
    });
    // The peer (this test, on loopback) is no trusted proxy here: naming another client changes nothing.
    expect((await signIn(direct, email, PASSWORD, '203.0.113.9')).error?.extensions.limit).toBe(
      'signInClient',
    );
    clock.ms += 120_000;
    expect(codeOf(await signIn(direct, email, PASSWORD))).toBe('ok');
  });

  it('behind a trusted proxy, counts the address the proxy names, not the proxy', async () => {
    const { email } = await proxied.signUp('bystander');
    await guessAccounts(proxied, 4, '203.0.113.7');
    expect((await signIn(proxied, email, PASSWORD, '203.0.113.7')).error?.extensions.limit).toBe(
      'signInClient',
    );
    // Another client behind the same proxy is not locked out…
    expect(codeOf(await signIn(proxied, email, PASSWORD, '198.51.100.4'))).toBe('ok');
    // …and the locked-out client gains nothing by forging an entry left of the one the proxy appended.
    expect(
      (await signIn(proxied, email, PASSWORD, '198.51.100.4, 203.0.113.7')).error?.extensions.limit,
    ).toBe('signInClient');
    clock.ms += 120_000;
  });
});
