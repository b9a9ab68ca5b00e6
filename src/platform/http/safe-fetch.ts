import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { OutboundRefusedError, resolveOutbound, type ResolvedAddress } from './ssrf.js';

/**
 * The one way server code sends HTTP to a user-supplied URL. It resolves the host itself, refuses
 * blocked addresses (ssrf.ts), and then connects to exactly the address it checked: the socket's
 * DNS lookup is pinned, so a name cannot resolve to a public address for the check and to a private
 * one for the connection (DNS rebinding). Redirects are never followed; a 3xx is just an answer.
 */

/** One outbound request. */
export interface OutboundRequest {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  /** Everything — connecting, sending, the whole answer — must finish within this. */
  timeoutMs: number;
  /** The answer's body is read up to this many bytes; the rest is discarded. */
  maxResponseBytes: number;
  /** Hosts that may be private or loopback (OUTBOUND_ALLOW_HOSTS). */
  allowHosts: readonly string[];
}

/** What the receiver answered. */
export interface OutboundResponse {
  status: number;
  /** The first `maxResponseBytes` of the body as text. */
  body: string;
  truncated: boolean;
}

/** Why no answer came: refused before sending, timed out, or a network failure. */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly reason: 'refused' | 'timeout' | 'network',
    message: string,
  ) {
    super(message);
  }
}

/** A lookup that answers the pre-checked address whatever the socket asks for. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/** Sends one request under the SSRF guard; throws OutboundError when there is no HTTP answer. */
export async function safeRequest(req: OutboundRequest): Promise<OutboundResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new OutboundError('refused', 'the URL is not valid');
  }
  let target: ResolvedAddress | undefined;
  try {
    [target] = await resolveOutbound(url, req.allowHosts);
  } catch (e) {
    if (e instanceof OutboundRefusedError) throw new OutboundError('refused', e.message);
    throw e;
  }
  if (!target) throw new OutboundError('refused', 'the host has no address');
  const pinned = target;
  const transport = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(req.body, 'utf8');

  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const request = transport.request(url, {
      method: req.method,
      headers: { ...req.headers, 'content-length': String(body.length) },
      lookup: pinnedLookup(pinned),
      // A fresh connection per request: a pooled socket would skip the pinned lookup's check.
      agent: false,
    });
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new OutboundError(
            'timeout',
            `no complete answer within ${Math.round(req.timeoutMs / 1000)} s`,
          ),
        ),
      );
      request.destroy();
    }, req.timeoutMs);
    request.on('error', (err) =>
      finish(() => reject(new OutboundError('network', describeNetworkError(err)))),
    );
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (size >= req.maxResponseBytes) {
          truncated = true;
          // Enough read: stop the transfer rather than download a large answer nobody keeps.
          res.destroy();
          return;
        }
        const room = req.maxResponseBytes - size;
        if (chunk.length > room) truncated = true;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
      });
      const done = () =>
        finish(() =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
          }),
        );
      res.on('end', done);
      // Destroyed on purpose after enough bytes: the status and the prefix are the answer.
      res.on('close', done);
      res.on('error', () => done());
    });
    request.end(body);
  });
}

function describeNetworkError(err: Error & { code?: string }): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the receiver';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate not trusted (${err.code})`;
    default:
      return err.code ? `network error (${err.code})` : 'network error';
  }
}
