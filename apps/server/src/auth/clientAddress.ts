import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is 127.0.0.1. */
const normalize = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/**
 * The proxies whose X-Forwarded-For is believed (ServerConfig.trustedProxies): addresses, CIDRs
 * (`10.0.0.0/8`, `fd00::/8`) or `loopback`. Throws on anything else, so a typo is not a silent trust-nobody.
 */
export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', bits, ...rest] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const prefix = bits === undefined ? undefined : Number(bits);
    const validPrefix =
      prefix === undefined ||
      (Number.isInteger(prefix) && prefix >= 0 && prefix <= (type === 'ipv4' ? 32 : 128));
    if (!type || rest.length > 0 || !validPrefix)
      throw new Error(
        `ARGMAX_TRUSTED_PROXIES: received ${JSON.stringify(entry)}; expected IP addresses, CIDRs or loopback, comma-separated`,
      );
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return list;
}

const isTrusted = (trusted: BlockList, address: string) =>
  (isIPv4(address) && trusted.check(address, 'ipv4')) || (isIPv6(address) && trusted.check(address, 'ipv6'));

/**
 * The address a request came from: the TCP peer, unless that peer is a trusted proxy; then X-Forwarded-For
 * is read from its right end (each proxy appends the address it was reached from), skipping trusted
 * proxies, and the first address that is not one is the client. Entries left of it may be forged.
 */
export function clientAddress(request: IncomingMessage, trusted: BlockList): string {
  let address = normalize(request.socket.remoteAddress ?? 'unknown');
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map(normalize)
    .filter(Boolean);
  while (isTrusted(trusted, address) && forwarded.length > 0) address = forwarded.pop()!;
  return address;
}
