import { z } from 'zod';
import { pageQuery } from '../../platform/http/index.js';
import { EVENT_PATTERN } from './event-patterns.js';

/** The URL is shape-checked here and checked for reachability (scheme, SSRF) by the service. */
const url = z.string().trim().min(1, 'is required').max(2048);
const eventTypes = z
  .array(
    z
      .string()
      .regex(EVENT_PATTERN, "must be '*', 'resource.*' or 'resource.verb' (e.g. contact.created)"),
  )
  .min(1, 'needs at least one event type')
  .max(50);
const description = z.string().trim().max(500).nullable();

/** The body of POST /webhooks. */
export const webhookCreateBody = z
  .object({
    url,
    eventTypes,
    description: description.optional(),
    active: z.boolean().default(true),
  })
  .strict();

/** The body of PATCH /webhooks/{id}. */
export const webhookUpdateBody = z
  .object({
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    description: description.optional(),
    active: z.boolean().optional(),
  })
  .strict();

/** The body of POST /webhooks/{id}/replay. */
export const replayBody = z
  .object({ since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }) })
  .strict();

/** The query of GET /webhooks/{id}/deliveries: a page, optionally of one status. */
export const deliveryListQuery = pageQuery.extend({
  'filter[status]': z.enum(['pending', 'delivered', 'failed']).optional(),
});

/** A webhook as answered (without its secret). */
export const webhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().nullable(),
    active: z.boolean(),
    secretHint: z.string(),
    consecutiveFailures: z.number().int(),
    disabledReason: z.enum(['failures']).nullable(),
    disabledAt: z.string().nullable(),
    createdBy: z.uuid().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' });

/** The answer to create and rotate-secret: the only time the secret is shown. */
export const webhookWithSecretSchema = webhookSchema
  .extend({
    secret: z.string().meta({ description: 'The signing secret; shown only in this answer' }),
  })
  .meta({ id: 'WebhookWithSecret' });

const attemptSchema = z.object({
  number: z.number().int(),
  startedAt: z.string(),
  durationMs: z.number().int(),
  statusCode: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
});

/** A delivery with its attempts. */
export const deliverySchema = z
  .object({
    id: z.uuid(),
    webhookId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    payload: z.unknown(),
    attemptCount: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
    attempts: z.array(attemptSchema),
  })
  .meta({ id: 'WebhookDelivery' });

/** What a replay queued. */
export const replayResultSchema = z
  .object({
    enqueued: z.number().int(),
    skipped: z.number().int(),
    more: z.boolean(),
    resumeFrom: z.string().nullable(),
  })
  .meta({ id: 'WebhookReplay' });
