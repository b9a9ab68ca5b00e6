import type { Tx } from '../db/index.js';
import type { EventInput } from './events.js';

/**
 * `<record>.assigned`: every record with an owner (a task or other activity: its assignee)
 * announces a new one with the same payload, so one rule can tell people "assigned to you"
 * whatever the record is, and webhooks and real time see one shape.
 */

/** The key of the object whose record changed owner (`deal`, an admin's `project`). */
export type AssignableType = string;
const OBJECT_KEY = /^[a-z][a-z0-9_]{0,39}$/;
const isObjectKey = (v: unknown): v is string => typeof v === 'string' && OBJECT_KEY.test(v);

/** Every `<type>.assigned` event, whatever the object: a consumer's type pattern. */
export const ASSIGNED_EVENTS = '*.assigned';
/** Whether an event type is an owner change of some object. */
export const isAssignedEvent = (type: string): boolean => /^[a-z][a-z0-9_]*\.assigned$/.test(type);

/** What every `<type>.assigned` event carries (leads and tickets add their own fields). */
export interface AssignedPayload {
  recordType: AssignableType;
  recordId: string;
  /** What the record is in words: its type, or an activity's kind (`task`, `call`…). */
  kind: string;
  /** The record's name or subject, so a notice can say which one. */
  label: string | null;
  /** The new owner (an activity's assignee); null: unassigned. */
  ownerId: string | null;
  previousOwnerId: string | null;
  /** The user whose action it was; null for the system (a workflow, a form, a rule sweep). */
  assignedBy: string | null;
  /** The record an activity belongs to (its page shows the activity); null for other records. */
  parent: { type: AssignableType; id: string } | null;
}

/** What an owner change is about: the record and its owner before and after. */
export type AssignmentInput = Omit<AssignedPayload, 'parent'> & {
  parent?: AssignedPayload['parent'];
  extra?: Record<string, unknown>;
};

/**
 * The `<type>.assigned` event of an owner change, for `ctx.emit`; null when the owner stayed
 * (nothing to announce). `extra` keeps fields a type carried before (`leadId`, `number`…).
 */
export function assignedEvent(input: AssignmentInput): Omit<EventInput, 'organizationId'> | null {
  if (input.ownerId === input.previousOwnerId) return null;
  const { extra, parent, ...rest } = input;
  const payload: AssignedPayload = { ...rest, parent: parent ?? null };
  return {
    type: `${input.recordType}.assigned`,
    aggregateType: input.recordType,
    aggregateId: input.recordId,
    payload: { ...extra, ...payload },
  };
}

/** What emitAssigned needs of a service's ctx: its emit and who acts. */
export interface AssigningCtx {
  actor: { userId: string | null };
  emit(tx: Tx, event: Omit<EventInput, 'organizationId'>): Promise<string>;
}

/**
 * Announces an owner change in `tx` as `<type>.assigned`, made by the ctx's actor; nothing when
 * the owner stayed. With `created`, a new record its creator owns is not announced either: nothing
 * was handed over, and every create would otherwise carry a second event to every consumer and
 * webhook. (Leads and tickets announce every first owner: routing rules and queues read it.)
 */
export async function emitAssigned(
  ctx: AssigningCtx,
  tx: Tx,
  input: Omit<AssignmentInput, 'assignedBy'>,
  options: { created?: boolean } = {},
): Promise<void> {
  if (options.created && input.ownerId === ctx.actor.userId) return;
  const event = assignedEvent({ ...input, assignedBy: ctx.actor.userId });
  if (event) await ctx.emit(tx, event);
}

/** The payload of a `<type>.assigned` event, or null when it lacks the common fields. */
export function assignedPayloadOf(payload: Record<string, unknown>): AssignedPayload | null {
  const { recordType, recordId, kind } = payload;
  if (!isObjectKey(recordType) || typeof recordId !== 'string' || typeof kind !== 'string')
    return null;
  const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
  const parent = payload.parent as { type?: unknown; id?: unknown } | null | undefined;
  const parentOk = parent && isObjectKey(parent.type) && typeof parent.id === 'string';
  return {
    recordType,
    recordId,
    kind,
    label: str(payload.label),
    ownerId: str(payload.ownerId),
    previousOwnerId: str(payload.previousOwnerId),
    assignedBy: str(payload.assignedBy),
    parent: parentOk ? { type: String(parent.type), id: String(parent.id) } : null,
  };
}
