import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxyList } from './clientAddress.ts';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  const none = trustedProxyList([]);
  // The compose stack: nginx and the dashboard at fixed addresses of its network.
  const stack = trustedProxyList(['172.28.0.10', '172.28.0.11']);

  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('198.51.100.1', '203.0.113.5'), none)).toBe('198.51.100.1');
    expect(clientAddress(request('::ffff:127.0.0.1'), none)).toBe('127.0.0.1');
  });

  it('walks X-Forwarded-For from the right past trusted proxies only', () => {
    // client → nginx → API
    expect(clientAddress(request('172.28.0.10', '203.0.113.5'), stack)).toBe('203.0.113.5');
    // browser → dashboard proxy → nginx → API, with a forged entry the browser sent
    expect(clientAddress(request('172.28.0.10', '1.2.3.4, 203.0.113.5, 172.28.0.11'), stack)).toBe(
      '203.0.113.5',
    );
    // a trusted proxy that names no client: the proxy is the client
    expect(clientAddress(request('172.28.0.10'), stack)).toBe('172.28.0.10');
    // every hop trusted: the leftmost is as far as the header goes
    expect(clientAddress(request('172.28.0.10', '172.28.0.11'), stack)).toBe('172.28.0.11');
  });

  it('takes CIDRs and loopback, and refuses what it cannot read', () => {
    const list = trustedProxyList(['10.0.0.0/8', 'fd00::/8', 'loopback']);
    expect(clientAddress(request('10.1.2.3', '203.0.113.5'), list)).toBe('203.0.113.5');
    expect(clientAddress(request('fd12::1', '203.0.113.5'), list)).toBe('203.0.113.5');
    expect(clientAddress(request('::1', '203.0.113.5'), list)).toBe('203.0.113.5');
    expect(clientAddress(request('11.0.0.1', '203.0.113.5'), list)).toBe('11.0.0.1');
    for (const bad of ['nginx', '10.0.0.0/33', '10.0.0.0/8/1', 'private'])
      expect(() => trustedProxyList([bad])).toThrow(/ARGMAX_TRUSTED_PROXIES/);
  });
});
