import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * The guard against server-side request forgery for URLs that users supply (webhooks,
 * integrations; ARCHITECTURE.md invariant 10): only http(s), and never an address inside the
 * machine or its networks unless the operator allow-listed the host (OUTBOUND_ALLOW_HOSTS).
 */

const BLOCKED = new BlockList();
// IPv4: "this network" and unspecified, RFC 1918 private, CGNAT (RFC 6598), loopback, link-local
// (cloud metadata lives at 169.254.169.254), IETF protocol assignments, benchmarking (RFC 2544),
// multicast, and the reserved block with the limited broadcast address.
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv4');
}
// IPv6: unspecified, loopback, IPv4-compatible (deprecated), discard-only, unique local (ULA),
// link-local, site-local (deprecated) and multicast. IPv4-mapped addresses (::ffff:a.b.c.d) are
// checked against the IPv4 rules by BlockList itself.
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96],
  ['100::', 64],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv6');
}

/** The 16 bytes of an IPv6 address (with an optional dotted IPv4 tail), or null when malformed. */
function ipv6Bytes(address: string): number[] | null {
  const text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let head = text;
  let tail: number[] = [];
  if (dotted?.[1]) {
    tail = dotted[1].split('.').map(Number);
    head = `${text.slice(0, -dotted[1].length)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const words =
    right === undefined ? l : [...l, ...Array<number>(8 - l.length - r.length).fill(0), ...r];
  if (words.length !== 8 || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff))
    return null;
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * The IPv4 address an IPv6 address carries by translation, which routes to that IPv4 host:
 * NAT64 (64:ff9b::/96, RFC 6052) and 6to4 (2002::/16, RFC 3056).
 */
function embeddedIPv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const nat64 =
    b[0] === 0x00 &&
    b[1] === 0x64 &&
    b[2] === 0xff &&
    b[3] === 0x9b &&
    b.slice(4, 12).every((x) => x === 0);
  if (nat64) return b.slice(12, 16).join('.');
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join('.');
  return null;
}

/** Whether an IP address is one outbound requests must not reach (loopback, private, link-local…). */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    if (BLOCKED.check(address.replace(/%.*$/, ''), 'ipv6')) return true;
    const inner = embeddedIPv4(address);
    return inner !== null && BLOCKED.check(inner, 'ipv4');
  }
  // Not an IP at all: refuse rather than guess.
  return true;
}

/** A URL's host as the allow-list and the resolver see it: lower case, IPv6 without brackets. */
export const bareHost = (url: URL): string =>
  url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');

/** Why an outbound request was refused before anything was sent. */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

/** A name that does not resolve within this is treated as unresolvable (getaddrinfo may wait far longer). */
const LOOKUP_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('lookup timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a URL's host to the addresses a request may connect to, refusing (OutboundRefusedError)
 * a scheme other than http(s), credentials in the URL, a host that does not resolve, and a host
 * any of whose addresses is blocked — unless the host is allow-listed. Every address is checked,
 * not only the first, so a name with one public and one private record is refused as a whole.
 */
export async function resolveOutbound(
  url: URL,
  allowHosts: readonly string[],
): Promise<ResolvedAddress[]> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundRefusedError('must be an http or https URL');
  if (url.username || url.password)
    throw new OutboundRefusedError(
      "must not contain credentials; put them in the receiver's own configuration",
    );
  const host = bareHost(url);
  const allowed = allowHosts.map((h) => h.replace(/^\[(.*)\]$/, '$1')).includes(host);
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal === 4 ? 4 : 6 }];
  } else {
    try {
      const found = await withTimeout(
        lookup(host, { all: true, verbatim: true }),
        LOOKUP_TIMEOUT_MS,
      );
      addresses = found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch {
      throw new OutboundRefusedError(`host ${host} could not be resolved`);
    }
    if (addresses.length === 0)
      throw new OutboundRefusedError(`host ${host} could not be resolved`);
  }
  if (allowed) return addresses;
  const blocked = addresses.find((a) => isBlockedAddress(a.address));
  if (blocked) {
    throw new OutboundRefusedError(
      `host ${host} resolves to a loopback, private or link-local address (${blocked.address}), which is not allowed`,
    );
  }
  return addresses;
}

/** Checks a user-supplied URL now (e.g. when a webhook is saved); answers the problem or null. */
export async function outboundUrlProblem(
  raw: string,
  allowHosts: readonly string[],
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be a valid URL';
  }
  try {
    await resolveOutbound(url, allowHosts);
    return null;
  } catch (e) {
    if (e instanceof OutboundRefusedError) return e.message;
    throw e;
  }
}
