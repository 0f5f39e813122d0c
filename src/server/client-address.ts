/**
 * The client address the audit trail and the sign-in throttle record: the socket's peer, or, behind
 * trusted proxies (TRUSTED_PROXIES, src/config/config.ts), the address the outermost trusted proxy saw.
 *
 * X-Forwarded-For is read from the right: each proxy appends the address it received the request from,
 * so the right-most entries are written by our own proxies and the left-most by whoever sent the request,
 * possibly forged. With a hop count n, the client is the n-th address counted from the socket; with a
 * list, the first address (from the socket outwards) that is not a trusted proxy. Only what trusted hops
 * wrote is ever used; every address on that path must be an IP address (IPv4-mapped IPv6 is shown as
 * IPv4), or the request is refused: a trusted proxy that writes junk is misconfigured, and junk must not
 * enter the hash-chained log or the throttle.
 */
import { BlockList, isIP } from 'node:net';
import { GraphQLError } from 'graphql';
import { TrustedProxies } from '../config/config';

/** Refuses the request (HTTP 400) before any context exists. */
export class ClientAddressError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'BAD_REQUEST', field: 'X-Forwarded-For', http: { status: 400 } } });
  }
}

/** An IP address in its usual text form, or null when `text` is not one. */
export function normalisedIp(text: string): string | null {
  const trimmed = text.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  const candidate = mapped ? mapped[1] : trimmed;
  const family = isIP(candidate);
  if (family === 0) return null;
  return family === 6 ? candidate.toLowerCase() : candidate;
}

function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** Whether a socket's peer address is one of the listed trusted proxies (TRUSTED_PROXIES as a list; hop counts trust any peer). */
export function trustedPeer(trusted: TrustedProxies): (address: string) => boolean {
  if (trusted.kind !== 'list') return () => trusted.kind === 'hops';
  const list = blockListOf(trusted.entries);
  return (address) => {
    const ip = normalisedIp(address);
    return ip !== null && list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  };
}

export type ClientAddressResolver = (socketAddress: string | undefined, forwardedFor: string | undefined) => string | null;

export function clientAddressResolver(trusted: TrustedProxies): ClientAddressResolver {
  const list = trusted.kind === 'list' ? blockListOf(trusted.entries) : null;
  const isTrusted = (address: string): boolean => list !== null && list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  return (socketAddress, forwardedFor) => {
    const peer = socketAddress ? normalisedIp(socketAddress) : null;
    if (trusted.kind === 'none' || peer === null) return peer;
    const hops = (forwardedFor ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').reverse();
    const path = [peer, ...hops];
    const at = (index: number): string => {
      const address = normalisedIp(path[index]);
      if (address === null) throw new ClientAddressError('X-Forwarded-For: a trusted proxy sent an entry that is not an IP address');
      return address;
    };
    if (trusted.kind === 'hops') return at(Math.min(trusted.count, path.length - 1));
    let index = 0;
    let address = peer;
    while (index < path.length - 1 && isTrusted(address)) {
      index += 1;
      address = at(index);
    }
    return address;
  };
}
