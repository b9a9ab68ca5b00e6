import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import { decrypt } from '../../platform/crypto/index.js';
import { withSystem, type Tx } from '../../platform/db/index.js';
import { OutboundError, safeRequest } from '../../platform/http/safe-fetch.js';
import { DEFAULT_RETRY_BASE_MS, MAX_ATTEMPTS, retryDelayMs } from './backoff.js';
import { WEBHOOK_DISABLED, type WebhookDisabledPayload } from './events.js';
import type { AutomationTables } from './schema.js';
import { signatureHeader } from './signature.js';

const db = (tx: Tx) => tx.withTables<AutomationTables>();

/** A receiver has this long to answer completely. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A claim outlives the slowest attempt by far; a worker that died mid-attempt frees it after this. */
const LEASE_MS = 60_000;
/** The answer's body kept per attempt. */
const RESPONSE_BYTES = 2048;
/** Deliveries in a row that ended failed before the webhook is switched off. */
export const DISABLE_AFTER_FAILURES = 10;

/** Knobs for tests; production runs with the defaults. */
export interface DeliveryOptions {
  /** The base of the retry schedule (backoff.ts); 10 s unless a test shortens it. */
  retryBaseMs?: number;
  /** Deliveries claimed per run. */
  batchSize?: number;
}

/** A delivery this worker holds the lease of, with what it needs to send it. */
interface Claimed {
  organization_id: string;
  id: string;
  webhook_id: string;
  event_type: string;
  body: string;
  attempts: number;
  max_attempts: number;
  lease_id: string;
  url: string;
  secret_enc: string;
}

/** The result of one attempt. */
interface Outcome {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
}

/**
 * Claims due deliveries of active webhooks across organizations. SKIP LOCKED lets concurrent
 * workers take disjoint rows, and the lease (leased_until) keeps a claimed delivery out of every
 * other claim after this transaction commits, while the request is under way: no attempt is ever
 * sent twice at once. The attempt number is taken at claim time.
 */
async function claimDue(deps: Deps, now: Date, limit: number): Promise<Claimed[]> {
  const lease = uuidv7();
  const until = new Date(now.getTime() + LEASE_MS);
  return withSystem(deps.database.db, async (tx) => {
    const result = await sql<Claimed>`
      with due as (
        select d.organization_id, d.id
        from webhook_deliveries d
        join webhooks w on w.organization_id = d.organization_id and w.id = d.webhook_id
        where d.status = 'pending' and d.next_attempt_at <= ${now}
          and (d.leased_until is null or d.leased_until <= ${now}) and w.active
        order by d.next_attempt_at
        limit ${limit}
        for update of d skip locked
      )
      update webhook_deliveries d
      set lease_id = ${lease}, leased_until = ${until}, attempts = d.attempts + 1
      from due, webhooks w
      where d.organization_id = due.organization_id and d.id = due.id
        and w.organization_id = d.organization_id and w.id = d.webhook_id
      returning d.organization_id, d.id, d.webhook_id, d.event_type, d.body, d.attempts, d.max_attempts, d.lease_id, w.url, w.secret_enc`.execute(
      tx,
    );
    return result.rows;
  });
}

/** PostgreSQL text cannot hold NUL; receivers sometimes answer binary. */
const storable = (text: string): string => text.replaceAll('\u0000', '');

/** POSTs one delivery, signed, under the SSRF guard; never throws. */
async function attempt(deps: Deps, d: Claimed): Promise<Outcome> {
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

/** Counts a delivery's final verdict on its webhook, switching the webhook off after too many failures. */
async function countVerdict(
  ctx: Ctx,
  tx: Tx,
  webhookId: string,
  delivered: boolean,
  now: Date,
): Promise<void> {
  const scope = () =>
    db(tx)
      .updateTable('webhooks')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', webhookId);
  if (delivered) {
    await scope().set({ consecutive_failures: 0 }).where('consecutive_failures', '>', 0).execute();
    return;
  }
  const hook = await scope()
    .set({ consecutive_failures: sql<number>`consecutive_failures + 1` })
    .returning(['url', 'active', 'consecutive_failures'])
    .executeTakeFirst();
  if (!hook || !hook.active || hook.consecutive_failures < DISABLE_AFTER_FAILURES) return;
  await scope()
    .set({
      active: false,
      disabled_reason: 'failures',
      disabled_at: now,
      disabled_notified_at: null,
      version: sql<number>`version + 1`,
      updated_at: now,
    })
    .execute();
  await ctx.audit(tx, {
    action: 'webhook.disabled',
    targetType: 'webhook',
    targetId: webhookId,
    diff: { active: { from: true, to: false }, disabledReason: { from: null, to: 'failures' } },
  });
  const payload: WebhookDisabledPayload = {
    webhookId,
    url: hook.url,
    reason: 'failures',
    consecutiveFailures: hook.consecutive_failures,
  };
  await ctx.emit(tx, {
    type: WEBHOOK_DISABLED,
    aggregateType: 'webhook',
    aggregateId: webhookId,
    payload: { ...payload },
  });
}

/**
 * Records an attempt and decides what comes next: delivered on 2xx; otherwise a retry after the
 * backoff, or `failed` after the last attempt. Only the lease holder may record: when the lease
 * is gone (the webhook was deleted meanwhile) the outcome is dropped.
 */
async function record(
  deps: Deps,
  d: Claimed,
  outcome: Outcome,
  retryBaseMs: number,
): Promise<void> {
  const ctx = createCtx(deps, systemActor(d.organization_id));
  const now = deps.clock.now();
  const delivered =
    outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const final = !delivered && d.attempts >= d.max_attempts;
  // Retries count from the start of the current round (a replay starts a new one).
  const retry = d.attempts - (d.max_attempts - MAX_ATTEMPTS) - 1;
  await ctx.tx(async (tx) => {
    const updated = await db(tx)
      .updateTable('webhook_deliveries')
      .set({
        status: delivered ? 'delivered' : final ? 'failed' : 'pending',
        next_attempt_at:
          delivered || final ? now : new Date(now.getTime() + retryDelayMs(retry, retryBaseMs)),
        lease_id: null,
        leased_until: null,
        last_status_code: outcome.statusCode,
        last_error: outcome.error,
        ...(delivered ? { delivered_at: now } : {}),
      })
      .where('organization_id', '=', d.organization_id)
      .where('id', '=', d.id)
      .where('lease_id', '=', d.lease_id)
      .returning('id')
      .executeTakeFirst();
    if (!updated) return;
    await db(tx)
      .insertInto('webhook_attempts')
      .values({
        organization_id: d.organization_id,
        id: uuidv7(),
        delivery_id: d.id,
        number: d.attempts,
        started_at: outcome.startedAt,
        duration_ms: outcome.durationMs,
        status_code: outcome.statusCode,
        response_body: outcome.responseBody,
        error: outcome.error,
      })
      .execute();
    if (delivered || final) await countVerdict(ctx, tx, d.webhook_id, delivered, now);
  });
}

/**
 * One run of the delivery worker: claims what is due, sends it concurrently (each request bounded
 * by the 10 s timeout) and records every attempt. Answers how many attempts were made. The
 * periodic task runs it every second; tests call it directly.
 */
export async function deliverDueWebhooks(
  deps: Deps,
  options: DeliveryOptions = {},
): Promise<number> {
  const claimed = await claimDue(deps, deps.clock.now(), options.batchSize ?? 25);
  await Promise.all(
    claimed.map(async (d) => {
      const outcome = await attempt(deps, d);
      await record(deps, d, outcome, options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS);
    }),
  );
  return claimed.length;
}
