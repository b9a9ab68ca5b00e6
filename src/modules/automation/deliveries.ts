import type { Selectable } from 'kysely';
import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Consumer, Ctx } from '../../platform/context/index.js';
import { onCommit, oncePerTransaction, type Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { decodeCursor, encodeCursor } from '../../platform/http/index.js';
import { hastenJobs, jobStates, type JobState } from '../../platform/jobs/index.js';
import type { DomainEvent } from '../../platform/outbox/index.js';
import { deliveryInFlight, webhookInactive } from './errors.js';
import { matchesAny } from './event-patterns.js';
import type {
  AutomationTables,
  DeliveryStatus,
  WebhookAttemptTable,
  WebhookDeliveryTable,
} from './schema.js';
import { DELIVERY_MAX_ATTEMPTS, startRounds } from './rounds.js';
import { loadWebhook } from './webhooks.js';

const db = (tx: Tx) => tx.withTables<AutomationTables>();
type DeliveryRow = Selectable<WebhookDeliveryTable>;
type AttemptRow = Selectable<WebhookAttemptTable>;

/** One try at sending a delivery, with what the receiver answered. */
export interface DeliveryAttempt {
  number: number;
  startedAt: string;
  durationMs: number;
  /** The HTTP status, or null when no answer came (refused, timeout, network). */
  statusCode: number | null;
  /** The first 2 KB of the answer. */
  responseBody: string | null;
  error: string | null;
}

/** One event sent (or to be sent) to one webhook, with every attempt, newest last. */
export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  /** The JSON body every attempt sends: `{ id, type, occurredAt, organizationId, data }`. */
  payload: unknown;
  attemptCount: number;
  /** When the next attempt is due (its job's time); null unless pending with a job queued. */
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attempts: DeliveryAttempt[];
}

function presentDelivery(
  r: DeliveryRow,
  attempts: AttemptRow[],
  jobs: ReadonlyMap<string, JobState>,
): Delivery {
  const job = r.job_id ? jobs.get(r.job_id) : undefined;
  const waiting =
    r.status === 'pending' && (job?.status === 'pending' || job?.status === 'running');
  return {
    id: r.id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    payload: JSON.parse(r.body) as unknown,
    attemptCount: r.attempts,
    nextAttemptAt: waiting && job ? job.runAt.toISOString() : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    attempts: attempts
      .filter((a) => a.delivery_id === r.id)
      .map((a) => ({
        number: a.number,
        startedAt: a.started_at.toISOString(),
        durationMs: a.duration_ms,
        statusCode: a.status_code,
        responseBody: a.response_body,
        error: a.error,
      })),
  };
}

async function attemptsOf(
  tx: Tx,
  organizationId: string,
  deliveryIds: string[],
): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db(tx)
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('number')
    .execute();
}

/** The body of a delivery, exactly as API.md has it: `{ id, type, occurredAt, organizationId, data }`. */
export function deliveryBody(
  event: Pick<DomainEvent, 'id' | 'type' | 'occurredAt' | 'organizationId' | 'payload'>,
): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    organizationId: event.organizationId,
    data: event.payload,
  });
}

/** The jobs of these deliveries, by job id. */
const jobsOf = (tx: Tx, organizationId: string, rows: readonly DeliveryRow[]) =>
  jobStates(
    tx,
    organizationId,
    rows.flatMap((r) => (r.job_id ? [r.job_id] : [])),
  );

/**
 * Queues one delivery per active, matching webhook of the event's organization, each with the job
 * that sends it, in the event's consumer transaction. The unique (webhook, event) key makes a
 * second enqueue of the same event (a redelivered event, a replay racing the consumer) a no-op.
 */
export const webhookConsumer: Consumer = {
  name: 'automation.webhooks',
  types: ['*'],
  handle: (ctx, event) => ctx.tx((tx) => queueDeliveries(ctx, tx, event)),
};

/** The deliveries of one event, each with the job that sends it. */
async function queueDeliveries(ctx: Ctx, tx: Tx, event: DomainEvent): Promise<void> {
  // Only subscriptions that existed when the event happened: one created while the event waited
  // in the outbox starts with the events after it (a replay can fetch older ones).
  const hooks = await oncePerTransaction(tx, `webhooks:${ctx.organizationId}`, () =>
    db(tx)
      .selectFrom('webhooks')
      .select(['id', 'event_types', 'created_at'])
      .where('organization_id', '=', ctx.organizationId)
      .where('active', '=', true)
      .execute(),
  );
  const matching = hooks.filter(
    (h) => h.created_at <= event.occurredAt && matchesAny(h.event_types, event.type),
  );
  if (matching.length === 0) return;
  const body = deliveryBody(event);
  const inserted = await db(tx)
    .insertInto('webhook_deliveries')
    .values(
      matching.map((h) => ({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        webhook_id: h.id,
        event_id: event.id,
        event_type: event.type,
        body,
        job_id: null,
        last_status_code: null,
        last_error: null,
        delivered_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['organization_id', 'webhook_id', 'event_id']).doNothing())
    .returning('id')
    .execute();
  await startRounds(
    tx,
    ctx.organizationId,
    inserted.map((r) => r.id),
    {
      maxAttempts: DELIVERY_MAX_ATTEMPTS,
      now: ctx.deps.clock.now(),
      wake: ctx.deps.jobs.wake,
    },
  );
}

const CURSOR = z.uuid();

/** Which deliveries a list shows: a page, optionally only those in one status. */
export interface DeliveryListQuery {
  limit: number;
  cursor?: string;
  count: boolean;
  /** Only deliveries in this status (e.g. the failed ones to look into). */
  status?: DeliveryStatus;
}

/** A webhook's deliveries, newest first, each with its attempts. */
export async function listDeliveries(
  ctx: Ctx,
  webhookId: string,
  page: DeliveryListQuery,
): Promise<{ data: Delivery[]; meta: { nextCursor: string | null; total?: number } }> {
  authorizeOrganizationWide(ctx, 'webhooks:read');
  const before = decodeCursor(page.cursor, CURSOR);
  if (page.cursor && !before)
    throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  return ctx.tx(async (tx) => {
    await loadWebhook(ctx, tx, webhookId);
    const all = db(tx)
      .selectFrom('webhook_deliveries')
      .where('organization_id', '=', ctx.organizationId)
      .where('webhook_id', '=', webhookId);
    // The newest-first index still serves a status filter: retention bounds what it walks past.
    const base = page.status ? all.where('status', '=', page.status) : all;
    const total = page.count
      ? Number(
          (await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
        )
      : undefined;
    // Ids are UUIDv7, so their order is creation order.
    const rows = await (before ? base.where('id', '<', before) : base)
      .selectAll()
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute();
    const visible = rows.slice(0, page.limit);
    const attempts = await attemptsOf(
      tx,
      ctx.organizationId,
      visible.map((r) => r.id),
    );
    const jobs = await jobsOf(tx, ctx.organizationId, visible);
    const last = visible[visible.length - 1];
    return {
      data: visible.map((r) => presentDelivery(r, attempts, jobs)),
      meta: {
        nextCursor: rows.length > page.limit && last ? encodeCursor(last.id) : null,
        ...(total !== undefined ? { total } : {}),
      },
    };
  });
}

async function loadDelivery(ctx: Ctx, tx: Tx, id: string): Promise<DeliveryRow> {
  const row = await db(tx)
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound('Delivery');
  return row;
}

/**
 * Sends a delivery again now, whatever its status: one more attempt with the same delivery id
 * and body (receivers dedupe by X-Cerebro-Delivery). A delivery still retrying is just moved up;
 * one being sent right now answers 409.
 */
export async function redeliver(ctx: Ctx, deliveryId: string): Promise<Delivery> {
  authorizeOrganizationWide(ctx, 'webhooks:update');
  const now = ctx.deps.clock.now();
  return ctx.tx(async (tx) => {
    const current = await loadDelivery(ctx, tx, deliveryId);
    const webhook = await loadWebhook(ctx, tx, current.webhook_id);
    if (!webhook.active) throw webhookInactive();
    const jobId = current.job_id;
    const job = jobId ? (await jobsOf(tx, ctx.organizationId, [current])).get(jobId) : undefined;
    if (job?.status === 'running') throw deliveryInFlight();
    if (jobId && current.status === 'pending' && job?.status === 'pending') {
      await hastenJobs(tx, ctx.organizationId, [jobId], now);
      onCommit(tx, ctx.deps.jobs.wake);
    } else {
      await startRounds(tx, ctx.organizationId, [deliveryId], {
        maxAttempts: 1,
        now,
        wake: ctx.deps.jobs.wake,
      });
    }
    await ctx.audit(tx, {
      action: 'webhook.redelivery_requested',
      targetType: 'webhook_delivery',
      targetId: deliveryId,
      diff: { status: { from: current.status, to: 'pending' } },
    });
    const row = await loadDelivery(ctx, tx, deliveryId);
    return presentDelivery(
      row,
      await attemptsOf(tx, ctx.organizationId, [row.id]),
      await jobsOf(tx, ctx.organizationId, [row]),
    );
  });
}
