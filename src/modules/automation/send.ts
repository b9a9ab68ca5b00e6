import type { Deps } from '../../platform/context/index.js';
import { decrypt } from '../../platform/crypto/index.js';
import { OutboundError, safeRequest } from '../../platform/http/safe-fetch.js';
import { signatureHeader } from './signature.js';

/** A receiver has this long to answer completely. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** The answer's body kept per attempt. */
const RESPONSE_BYTES = 2048;

/** What one attempt sends. */
export interface Sendable {
  /** The delivery id, sent as X-Cerebro-Delivery so receivers can dedupe. */
  id: string;
  event_type: string;
  body: string;
  url: string;
  secret_enc: string;
}

/** The result of one attempt. */
export interface Outcome {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
}

/** Whether an attempt's answer counts as delivered: any 2xx (a 3xx is not followed). */
export const isDelivered = (o: Outcome): boolean =>
  o.statusCode !== null && o.statusCode >= 200 && o.statusCode < 300;

/** PostgreSQL text cannot hold NUL; receivers sometimes answer binary. */
const storable = (text: string): string => text.replaceAll('\u0000', '');

/** POSTs one delivery, signed, under the SSRF guard; never throws. */
export async function sendDelivery(deps: Deps, d: Sendable): Promise<Outcome> {
  const startedAt = deps.clock.now();
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  try {
    const secret = decrypt(deps.secretKey, d.secret_enc);
    const res = await safeRequest({
      url: d.url,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Cerebro-Webhooks/1',
        'x-cerebro-signature': signatureHeader(
          secret,
          Math.floor(deps.clock.now().getTime() / 1000),
          d.body,
        ),
        'x-cerebro-event': d.event_type,
        'x-cerebro-delivery': d.id,
      },
      body: d.body,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      maxResponseBytes: RESPONSE_BYTES,
      allowHosts: deps.config.outboundAllowHosts,
    });
    const ok = res.status >= 200 && res.status < 300;
    return {
      startedAt,
      durationMs: elapsed(),
      statusCode: res.status,
      responseBody: storable(res.body),
      error: ok ? null : `the receiver answered ${res.status}`,
    };
  } catch (e) {
    const error =
      e instanceof OutboundError
        ? e.reason === 'refused'
          ? `refused: ${e.message}`
          : e.message
        : 'unexpected error';
    if (!(e instanceof OutboundError))
      deps.log.error({ err: e, deliveryId: d.id }, 'webhook attempt failed unexpectedly');
    return { startedAt, durationMs: elapsed(), statusCode: null, responseBody: null, error };
  }
}
