import type { Selectable } from 'kysely';
import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { fieldDiff } from '../../platform/audit/index.js';
import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { encrypt, randomToken } from '../../platform/crypto/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { decodeCursor, encodeCursor } from '../../platform/http/index.js';
import { outboundUrlProblem } from '../../platform/http/ssrf.js';
import { assertVersion } from '../records/index.js';
import { webhookUrlRefused } from './errors.js';
import { DELIVERY_MAX_ATTEMPTS, startRounds } from './rounds.js';
import type { AutomationTables, WebhookTable } from './schema.js';

const db = (tx: Tx) => tx.withTables<AutomationTables>();
/** A row of the webhooks table. */
export type WebhookRow = Selectable<WebhookTable>;

/** A webhook subscription as the API presents it; the secret itself is only shown once. */
export interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  active: boolean;
  /** The last characters of the signing secret, to tell secrets apart. */
  secretHint: string;
  consecutiveFailures: number;
  /** `failures` when Cerebro switched it off after too many failed deliveries in a row. */
  disabledReason: 'failures' | null;
  disabledAt: string | null;
  createdBy: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A webhook with its signing secret: the answer to create and rotate-secret only. */
export type WebhookWithSecret = Webhook & { secret: string };

/** What a client sets on a webhook (shape-validated at the edge). */
export interface WebhookInput {
  /** Where events are POSTed; http(s) only, never a private address unless allow-listed. */
  url?: string;
  /** `*`, `resource.*` or `resource.verb`. */
  eventTypes?: string[];
  description?: string | null;
  /** Re-enabling also clears the failure count of an automatic disable. */
  active?: boolean;
}

/** The API view of a webhook row (never the secret). */
export function presentWebhook(r: WebhookRow): Webhook {
  return {
    id: r.id,
    url: r.url,
    eventTypes: r.event_types,
    description: r.description,
    active: r.active,
    secretHint: `…${r.secret_hint}`,
    consecutiveFailures: r.consecutive_failures,
    disabledReason: r.disabled_reason,
    disabledAt: r.disabled_at?.toISOString() ?? null,
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The fields an audit diff shows. */
function auditable(w: Webhook): Record<string, unknown> {
  const { version: _v, createdAt: _c, updatedAt: _u, secretHint: _s, ...rest } = w;
  return rest;
}

/** A new signing secret and what is stored of it: sealed with the platform key, and a hint. */
function newSecret(ctx: Ctx): { secret: string; secret_enc: string; secret_hint: string } {
  const secret = `whsec_${randomToken(24)}`;
  return { secret, secret_enc: encrypt(ctx.deps.secretKey, secret), secret_hint: secret.slice(-4) };
}

/** Refuses a URL outbound requests may not reach; resolves DNS, so call it outside a transaction. */
async function assertDeliverableUrl(ctx: Ctx, url: string): Promise<void> {
  const problem = await outboundUrlProblem(url, ctx.deps.config.outboundAllowHosts);
  if (problem) throw webhookUrlRefused(problem);
}

/** Loads a webhook of the actor's organization, or throws 404. */
export async function loadWebhook(
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<WebhookRow> {
  let q = db(tx)
    .selectFrom('webhooks')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Webhook');
  return row;
}

/** Subscribes a URL to events; answers the signing secret, which is never shown again. */
export async function createWebhook(
  ctx: Ctx,
  input: Required<Pick<WebhookInput, 'url' | 'eventTypes'>> & WebhookInput,
): Promise<WebhookWithSecret> {
  authorizeOrganizationWide(ctx, 'webhooks:create');
  await assertDeliverableUrl(ctx, input.url);
  const { secret, ...sealed } = newSecret(ctx);
  return ctx.tx(async (tx) => {
    const row = await db(tx)
      .insertInto('webhooks')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        url: input.url,
        event_types: [...new Set(input.eventTypes)],
        description: input.description ?? null,
        active: input.active ?? true,
        ...sealed,
        disabled_reason: null,
        disabled_at: null,
        disabled_notified_at: null,
        created_by: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const webhook = presentWebhook(row);
    await ctx.audit(tx, {
      action: 'webhook.created',
      targetType: 'webhook',
      targetId: row.id,
      diff: fieldDiff(null, auditable(webhook)),
    });
    return { ...webhook, secret };
  });
}

/** One webhook of the organization, or 404. */
export async function getWebhook(ctx: Ctx, id: string): Promise<Webhook> {
  authorizeOrganizationWide(ctx, 'webhooks:read');
  return ctx.tx(async (tx) => presentWebhook(await loadWebhook(ctx, tx, id)));
}

const CURSOR = z.uuid();

/** The organization's webhooks, oldest first. */
export async function listWebhooks(
  ctx: Ctx,
  page: { limit: number; cursor?: string; count: boolean },
): Promise<{ data: Webhook[]; meta: { nextCursor: string | null; total?: number } }> {
  authorizeOrganizationWide(ctx, 'webhooks:read');
  const after = decodeCursor(page.cursor, CURSOR);
  if (page.cursor && !after) throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  return ctx.tx(async (tx) => {
    const base = db(tx).selectFrom('webhooks').where('organization_id', '=', ctx.organizationId);
    const total = page.count
      ? Number(
          (await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
        )
      : undefined;
    const rows = await (after ? base.where('id', '>', after) : base)
      .selectAll()
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const visible = rows.slice(0, page.limit);
    const last = visible[visible.length - 1];
    return {
      data: visible.map(presentWebhook),
      meta: {
        nextCursor: rows.length > page.limit && last ? encodeCursor(last.id) : null,
        ...(total !== undefined ? { total } : {}),
      },
    };
  });
}

/** Partly updates a webhook; a new URL is checked like on create, `If-Match` makes a stale write 412. */
export async function updateWebhook(
  ctx: Ctx,
  id: string,
  input: WebhookInput,
  expectedVersion?: number,
): Promise<Webhook> {
  authorizeOrganizationWide(ctx, 'webhooks:update');
  if (input.url !== undefined) await assertDeliverableUrl(ctx, input.url);
  return ctx.tx(async (tx) => {
    const current = await loadWebhook(ctx, tx, id, { forUpdate: true });
    assertVersion(expectedVersion, current.version);
    const enabling = input.active === true && !current.active;
    const disabling = input.active === false && current.active;
    const row = await db(tx)
      .updateTable('webhooks')
      .set({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.eventTypes !== undefined ? { event_types: [...new Set(input.eventTypes)] } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        // A person turning it back on starts a fresh count; turning it off is not a failure.
        ...(enabling
          ? {
              consecutive_failures: 0,
              disabled_reason: null,
              disabled_at: null,
              disabled_notified_at: null,
            }
          : {}),
        ...(disabling ? { disabled_reason: null, disabled_at: new Date() } : {}),
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (enabling) await resumeWaitingDeliveries(ctx, tx, id);
    const after = presentWebhook(row);
    await ctx.audit(tx, {
      action: 'webhook.updated',
      targetType: 'webhook',
      targetId: id,
      diff: fieldDiff(auditable(presentWebhook(current)), auditable(after)),
    });
    return after;
  });
}

/**
 * Queues again the deliveries that waited, with no job, while the webhook was off (delivery-job.ts
 * leaves them so): each gets a fresh round of attempts, as when it was created.
 */
async function resumeWaitingDeliveries(ctx: Ctx, tx: Tx, webhookId: string): Promise<void> {
  const waiting = await db(tx)
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .where('job_id', 'is', null)
    .execute();
  await startRounds(
    tx,
    ctx.organizationId,
    waiting.map((d) => d.id),
    { maxAttempts: DELIVERY_MAX_ATTEMPTS, now: ctx.deps.clock.now(), wake: ctx.deps.jobs.wake },
  );
}

/** Deletes a webhook with its delivery history; a delivery in flight finishes but is not recorded. */
export async function deleteWebhook(ctx: Ctx, id: string): Promise<void> {
  authorizeOrganizationWide(ctx, 'webhooks:delete');
  await ctx.tx(async (tx) => {
    const current = await loadWebhook(ctx, tx, id, { forUpdate: true });
    await db(tx)
      .deleteFrom('webhooks')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'webhook.deleted',
      targetType: 'webhook',
      targetId: id,
      diff: fieldDiff(auditable(presentWebhook(current)), null),
    });
  });
}

/** Replaces the signing secret at once (the old one stops verifying) and answers the new one. */
export async function rotateWebhookSecret(ctx: Ctx, id: string): Promise<WebhookWithSecret> {
  authorizeOrganizationWide(ctx, 'webhooks:update');
  const { secret, ...sealed } = newSecret(ctx);
  return ctx.tx(async (tx) => {
    const current = await loadWebhook(ctx, tx, id, { forUpdate: true });
    const row = await db(tx)
      .updateTable('webhooks')
      .set({ ...sealed, version: current.version + 1, updated_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'webhook.secret_rotated',
      targetType: 'webhook',
      targetId: id,
      diff: null,
    });
    return { ...presentWebhook(row), secret };
  });
}
