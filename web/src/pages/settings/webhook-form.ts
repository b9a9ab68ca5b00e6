import { z } from 'zod';

/** The server's rule for an event pattern (automation/event-patterns.ts): `*`, `resource.*` or `resource.verb`. */
export const EVENT_PATTERN = /^(\*|[a-z][a-z0-9_-]*\.(\*|[a-z][a-z0-9_]*))$/;

/** Event types Cerebro emits today, offered while typing; any other well-formed pattern is accepted too. */
export const KNOWN_EVENT_TYPES: readonly string[] = [
  '*',
  'contact.*',
  'contact.created',
  'contact.updated',
  'contact.assigned',
  'contact.deleted',
  'contact.restored',
  'contact.merged',
  'contact.erased',
  'company.*',
  'company.created',
  'company.updated',
  'company.assigned',
  'company.deleted',
  'company.restored',
  'company.merged',
  'lead.*',
  'lead.created',
  'lead.updated',
  'lead.assigned',
  'lead.converted',
  'lead.deleted',
  'lead.restored',
  'deal.*',
  'deal.created',
  'deal.updated',
  'deal.assigned',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
  'deal.deleted',
  'deal.restored',
  'activity.*',
  'activity.created',
  'activity.updated',
  'activity.assigned',
  'activity.deleted',
  'ticket.*',
  'ticket.created',
  'ticket.updated',
  'ticket.assigned',
  'ticket.deleted',
  'ticket.restored',
  'pipeline.*',
  'pipeline.created',
  'pipeline.updated',
  'pipeline.deleted',
  'price_list.*',
  'price_list.created',
  'price_list.updated',
  'price_list.deleted',
  'webhook.disabled',
];

/** What an empty field suggests first: the patterns most integrations start with. */
export const POPULAR_EVENT_TYPES: readonly string[] = [
  '*',
  'contact.created',
  'contact.updated',
  'company.created',
  'deal.*',
  'deal.stage_changed',
  'deal.won',
  'lead.created',
];

/** Whether a chosen pattern already covers an event type (`*` covers all, `deal.*` covers deal.won). */
export const isCoveredBy = (chosen: readonly string[], type: string): boolean =>
  chosen.some(
    (p) =>
      p === type ||
      p === '*' ||
      (p.endsWith('.*') && type !== p && type.startsWith(p.slice(0, -1))),
  );

const EVENT_MESSAGE = "must be '*', 'resource.*' or 'resource.verb' (e.g. contact.created)";

/** Whether one typed event pattern is one the server accepts. */
export const isEventPattern = (value: string): boolean => EVENT_PATTERN.test(value);

/** The create/edit form, with the same rules as the server's webhookCreateBody. */
export const webhookFormSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(2048)
    .refine(
      (v) => /^https?:\/\/[^\s/]+/i.test(v),
      'must be an http(s) URL, e.g. https://example.com/hooks/cerebro',
    ),
  description: z.string().trim().max(500),
  eventTypes: z
    .array(z.string().regex(EVENT_PATTERN, EVENT_MESSAGE))
    .min(1, 'needs at least one event type')
    .max(50),
  active: z.boolean(),
});

/** What the form holds. */
export type WebhookFormValues = z.infer<typeof webhookFormSchema>;
