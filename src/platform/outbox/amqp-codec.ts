import { z } from 'zod';
import type { Options } from 'amqplib';
import type { DomainEvent } from './events.js';

/** The body of an event message: the event itself, with its time as ISO 8601. */
const EVENT_BODY = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  organizationId: z.string().min(1),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1).nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
  causation: z
    .object({ workflowId: z.string(), runId: z.string(), depth: z.number().int() })
    .nullable()
    .default(null),
});

/** The message body of an event. */
export function encodeEvent(event: DomainEvent): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: event.id,
      type: event.type,
      organizationId: event.organizationId,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      occurredAt: event.occurredAt.toISOString(),
      payload: event.payload,
      causation: event.causation,
    }),
  );
}

/**
 * Message properties: persistent (written to disk by the broker before it confirms), and the
 * event id as message id so duplicates are recognisable in the broker's tools as well.
 */
export function eventProperties(event: DomainEvent): Options.Publish {
  return {
    persistent: true,
    messageId: event.id,
    type: event.type,
    contentType: 'application/json',
    timestamp: Math.floor(event.occurredAt.getTime() / 1000),
  };
}

/** The event in a message body, or null when the body is not one (it is then dead-lettered). */
export function decodeEvent(body: Buffer): DomainEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const parsed = EVENT_BODY.safeParse(raw);
  if (!parsed.success) return null;
  return { ...parsed.data, occurredAt: new Date(parsed.data.occurredAt) };
}
