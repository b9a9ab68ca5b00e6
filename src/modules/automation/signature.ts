import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures (API.md): `X-Cerebro-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where
 * the HMAC key is the webhook's secret exactly as shown on creation (`whsec_…`, UTF-8) and the
 * message is `${t}.${body}` with the raw request body. The timestamp is signed so a receiver can
 * refuse replays older than a few minutes.
 */

export const SIGNATURE_HEADER = 'x-cerebro-signature';

const hmacHex = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The header value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

/**
 * What a receiver does: parses the header, recomputes the HMAC and compares in constant time,
 * refusing a timestamp more than `toleranceSeconds` away from `nowSeconds`.
 */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const [k, v] = item.split('=', 2);
    if (k && v) parts.set(k.trim(), [...(parts.get(k.trim()) ?? []), v.trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  return (parts.get('v1') ?? []).some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
