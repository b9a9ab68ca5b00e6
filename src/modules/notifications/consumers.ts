import type { Consumer, Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  ASSIGNED_EVENTS,
  assignedPayloadOf,
  isAssignedEvent,
  type DomainEvent,
} from '../../platform/outbox/index.js';
import { notify } from './notifications.js';
import { objectResourceOf, realtimeResourceOf } from './realtime-resources.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

/** The owner and team a record event is about, read from its payload (`{ deal: { ownerId } }`, `{ id, ownerId, teamId }` and the like). */
function placementOf(event: DomainEvent): { ownerId: string | null; teamId: string | null } {
  const record = obj(event.payload[event.aggregateType]);
  return {
    ownerId: str(record.ownerId) ?? str(event.payload.ownerId),
    teamId: str(record.teamId) ?? str(event.payload.teamId),
  };
}

/**
 * Record events to WebSocket clients: on `org` and on `<type>:<id>`, for those who may read the
 * record (decided per connection against its owner). At least once, like every consumer.
 */
export const realtimeConsumer: Consumer = {
  name: 'notifications.realtime',
  types: ['*'],
  async handle(ctx, event) {
    const resource = realtimeResourceOf(event.aggregateType, event.payload);
    if (!resource || !event.aggregateId) return;
    await ctx.deps.realtime.publish({
      organizationId: ctx.organizationId,
      type: event.type,
      channels: ['org', `${event.aggregateType}:${event.aggregateId}`],
      data: { id: event.aggregateId, ...event.payload },
      audience: { permission: `${resource}:read`, ...placementOf(event) },
    });
  },
};

/**
 * The web app's page of a record: every object's records are at `/{resource}/{id}`. An activity
 * shows on its parent's page, so one without a parent has no page of its own.
 */
function pageOf(type: string, payload: Record<string, unknown>): string | null {
  if (type === 'activity') return null;
  const resource = objectResourceOf(type, payload);
  return resource ? `/${resource}` : null;
}

/** A notice to write: who, what and where it leads. */
interface Notice {
  userId: string;
  title: string;
  link: string | null;
}

/**
 * "A deal was assigned to you: Acme renewal" for any `<record>.assigned` event — one rule for
 * every record with an owner or assignee. Nobody hears of their own choice: taking a record, or
 * creating one that one owns, needs no notice.
 */
export function assignmentNotice(payload: Record<string, unknown>): Notice | null {
  const a = assignedPayloadOf(payload);
  if (!a?.ownerId || a.ownerId === a.previousOwnerId || a.ownerId === a.assignedBy) return null;
  const article = /^[aeiou]/i.test(a.kind) ? 'An' : 'A';
  const page = a.parent ? pageOf(a.parent.type, {}) : pageOf(a.recordType, payload);
  const id = a.parent ? a.parent.id : a.recordId;
  return {
    userId: a.ownerId,
    title: `${article} ${a.kind} was assigned to you${a.label ? `: ${a.label}` : ''}`,
    link: page ? `${page}/${id}` : null,
  };
}

/** What deserves a notification, and for whom. The notice is written in the consumer's transaction: once per event. */
export const notificationConsumer: Consumer = {
  name: 'notifications.inbox',
  types: [
    ASSIGNED_EVENTS,
    'task.due',
    'import.finished',
    'lead.unassigned_reminder',
    'webhook.disabled',
    'workflow.run_failed',
  ],
  handle: (ctx, event) => ctx.tx((tx) => writeNotices(ctx, tx, event)),
};

/** Writes the notices one event deserves, in the consumer's transaction. */
async function writeNotices(ctx: Ctx, tx: Tx, event: DomainEvent): Promise<void> {
  const p = event.payload;
  const send = (
    userId: string | null,
    title: string,
    link: string | null,
    body: string | null = null,
  ) =>
    userId
      ? notify(ctx.deps.realtime, tx, ctx.organizationId, {
          userId,
          type: event.type,
          title,
          body,
          link,
          eventId: event.id,
        })
      : Promise.resolve(null);
  if (isAssignedEvent(event.type)) {
    const notice = assignmentNotice(p);
    if (notice) await send(notice.userId, notice.title, notice.link);
    return;
  }
  switch (event.type) {
    case 'task.due':
      await send(
        str(p.assigneeId),
        `Task due: ${str(p.subject) ?? 'a task'}`,
        str(p.contactId) ? `/contacts/${String(p.contactId)}` : null,
      );
      break;
    case 'import.finished':
      await send(str(p.userId), 'Your import finished', `/contacts/import/${String(p.importId)}`);
      break;
    case 'lead.unassigned_reminder':
      for (const m of Array.isArray(p.managerIds) ? p.managerIds : [])
        await send(str(m), 'A lead is waiting for an owner', `/leads/${String(p.leadId)}`);
      break;
    default:
      // webhook.disabled, workflow.run_failed: their emitters name who to tell.
      for (const u of Array.isArray(p.notifyUserIds) ? p.notifyUserIds : [])
        await send(str(u), str(p.title) ?? event.type, str(p.link), str(p.message));
  }
}
