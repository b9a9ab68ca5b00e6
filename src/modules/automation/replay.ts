import { v7 as uuidv7 } from 'uuid';
import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { onCommit, type Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { hastenJobs, jobStates } from '../../platform/jobs/index.js';
import { deliveryBody } from './deliveries.js';
import { webhookInactive } from './errors.js';
import { matchesAny } from './event-patterns.js';
import { DELIVERY_MAX_ATTEMPTS, startRounds } from './rounds.js';
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
    .select(['id', 'event_id', 'status', 'job_id'])
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
  const pending = existing.filter((d) => d.status === 'pending');
  const jobs = await jobStates(
    tx,
    ctx.organizationId,
    pending.flatMap((d) => (d.job_id ? [d.job_id] : [])),
  );
  const jobOf = (d: { job_id: string | null }) => (d.job_id ? jobs.get(d.job_id) : undefined);
  // Waiting for a retry: moved up. Being sent right now: left alone. Pending without a live job
  // (its last job died before it could record the failure): a new round, like a failed one.
  const waiting = pending.filter((d) => jobOf(d)?.status === 'pending');
  const restart = existing.filter(
    (d) =>
      d.status === 'failed' ||
      (d.status === 'pending' && !['pending', 'running'].includes(jobOf(d)?.status ?? '')),
  );
  let inserted: string[] = [];
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
          job_id: null,
          last_status_code: null,
          last_error: null,
          delivered_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['organization_id', 'webhook_id', 'event_id']).doNothing())
      .returning('id')
      .execute();
    inserted = rows.map((r) => r.id);
  }
  // A new or failed delivery gets a whole new round of attempts, as if it had just been created.
  await startRounds(tx, ctx.organizationId, [...inserted, ...restart.map((d) => d.id)], {
    maxAttempts: DELIVERY_MAX_ATTEMPTS,
    now,
    wake: ctx.deps.jobs.wake,
  });
  await hastenJobs(
    tx,
    ctx.organizationId,
    waiting.flatMap((d) => (d.job_id ? [d.job_id] : [])),
    now,
  );
  if (waiting.length > 0) onCommit(tx, ctx.deps.jobs.wake);
  const enqueued = inserted.length + restart.length + waiting.length;
  return { enqueued, skipped: events.length - fresh.length - restart.length - waiting.length };
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
