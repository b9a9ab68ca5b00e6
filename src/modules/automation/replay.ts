import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { MAX_ATTEMPTS } from './backoff.js';
import { deliveryBody } from './deliveries.js';
import { webhookInactive } from './errors.js';
import { matchesAny } from './event-patterns.js';
import type { AutomationTables } from './schema.js';
import { loadWebhook } from './webhooks.js';

const db = (tx: Tx) => tx.withTables<AutomationTables>();

/** Outbox events read per query. */
const BATCH = 500;
/** Deliveries one replay queues at most; `more` tells the caller to continue from `resumeFrom`. */
export const REPLAY_LIMIT = 5_000;

/** What a replay queued. */
export interface ReplayResult {
  /** Deliveries queued: new ones, failed ones tried again, waiting ones moved up to now. */
  enqueued: number;
  /** Matching events already delivered (or being sent right now), left alone. */
  skipped: number;
  /** Whether the limit stopped the replay before the newest event. */
  more: boolean;
  /** When `more`: the `since` that continues where this replay stopped. */
  resumeFrom: string | null;
}

/**
 * The smallest UUIDv7 of events at or after `since`. Outbox ids are UUIDv7, so the primary key
 * (organization_id, id) finds the window without an index on occurred_at; a minute of slack
 * covers ids minted a moment before their occurred_at.
 */
function uuidv7Floor(since: Date): string {
  const hex = Math.max(0, since.getTime() - 60_000)
    .toString(16)
    .padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

interface ReplayEvent {
  id: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

/** Queues one batch of events; answers how many were queued and skipped. */
async function queueBatch(
  ctx: Ctx,
  tx: Tx,
  webhookId: string,
  events: ReplayEvent[],
  now: Date,
): Promise<{ enqueued: number; skipped: number }> {
  if (events.length === 0) return { enqueued: 0, skipped: 0 };
  const existing = await db(tx)
    .selectFrom('webhook_deliveries')
    .select(['id', 'event_id', 'status', 'leased_until'])
    .where('organization_id', '=', ctx.organizationId)
    .where('webhook_id', '=', webhookId)
    .where(
      'event_id',
      'in',
      events.map((e) => e.id),
    )
    .execute();
  const byEvent = new Map(existing.map((d) => [d.event_id, d]));
  const fresh = events.filter((e) => !byEvent.has(e.id));
  const failed = existing.filter((d) => d.status === 'failed').map((d) => d.id);
  const waiting = existing
    .filter((d) => d.status === 'pending' && !(d.leased_until && d.leased_until > now))
    .map((d) => d.id);
  let inserted = 0;
  if (fresh.length > 0) {
    const rows = await db(tx)
      .insertInto('webhook_deliveries')
      .values(
        fresh.map((e) => ({
          organization_id: ctx.organizationId,
          id: uuidv7(),
          webhook_id: webhookId,
          event_id: e.id,
          event_type: e.type,
          body: deliveryBody({
            id: e.id,
            type: e.type,
            occurredAt: e.occurred_at,
            organizationId: ctx.organizationId,
            payload: e.payload,
          }),
          max_attempts: MAX_ATTEMPTS,
          next_attempt_at: now,
          lease_id: null,
          leased_until: null,
          last_status_code: null,
          last_error: null,
          delivered_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['organization_id', 'webhook_id', 'event_id']).doNothing())
      .returning('id')
      .execute();
    inserted = rows.length;
  }
  const scope = () =>
    db(tx).updateTable('webhook_deliveries').where('organization_id', '=', ctx.organizationId);
  // A failed delivery gets a whole new retry schedule, as if it had just been created.
  if (failed.length > 0)
    await scope()
      .set({
        status: 'pending',
        next_attempt_at: now,
        max_attempts: sql<number>`attempts + ${MAX_ATTEMPTS}`,
      })
      .where('id', 'in', failed)
      .execute();
  if (waiting.length > 0)
    await scope().set({ next_attempt_at: now }).where('id', 'in', waiting).execute();
  const enqueued = inserted + failed.length + waiting.length;
  return { enqueued, skipped: events.length - fresh.length - failed.length - waiting.length };
}

/**
 * Queues every event of the organization since `since` that the webhook's patterns match — the
 * way to catch up after a receiver's outage. Events already delivered are skipped; the receiver
 * sees each event under its original event id (and, when one existed, delivery id).
 */
export async function replayWebhook(
  ctx: Ctx,
  webhookId: string,
  since: Date,
): Promise<ReplayResult> {
  authorizeOrganizationWide(ctx, 'webhooks:update');
  const now = ctx.deps.clock.now();
  if (since > now)
    throw errors.validation([{ path: 'since', message: 'must not be in the future' }]);
  return ctx.tx(async (tx) => {
    const webhook = await loadWebhook(ctx, tx, webhookId, { forUpdate: true });
    if (!webhook.active) throw webhookInactive();
    let enqueued = 0;
    let skipped = 0;
    let after: string | null = null;
    for (;;) {
      let q = tx
        .selectFrom('outbox')
        .select(['id', 'type', 'occurred_at', 'payload'])
        .where('organization_id', '=', ctx.organizationId)
        .where('occurred_at', '>=', since);
      q = after ? q.where('id', '>', after) : q.where('id', '>=', uuidv7Floor(since));
      const rows = await q.orderBy('id').limit(BATCH).execute();
      const last = rows[rows.length - 1];
      if (!last) break;
      const result = await queueBatch(
        ctx,
        tx,
        webhookId,
        rows.filter((r) => matchesAny(webhook.event_types, r.type)),
        now,
      );
      enqueued += result.enqueued;
      skipped += result.skipped;
      after = last.id;
      if (rows.length < BATCH) break;
      if (enqueued >= REPLAY_LIMIT) {
        await ctx.audit(tx, {
          action: 'webhook.replayed',
          targetType: 'webhook',
          targetId: webhookId,
          diff: { since: since.toISOString(), enqueued, skipped },
        });
        return { enqueued, skipped, more: true, resumeFrom: last.occurred_at.toISOString() };
      }
    }
    await ctx.audit(tx, {
      action: 'webhook.replayed',
      targetType: 'webhook',
      targetId: webhookId,
      diff: { since: since.toISOString(), enqueued, skipped },
    });
    return { enqueued, skipped, more: false, resumeFrom: null };
  });
}
