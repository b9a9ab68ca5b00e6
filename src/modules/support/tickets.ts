import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { assertReferences } from '../../platform/references/index.js';
import { emitAssigned as announce } from '../../platform/outbox/index.js';
import { moveToTrash, takeOutOfTrash, type TrashTarget } from '../../platform/objects/index.js';
import {
  assertVersion,
  getContact,
  validatedCustomFields,
  type Contact,
} from '../records/index.js';
import { TICKET_EVENTS, type TicketAssignedPayload } from './events.js';
import type { SupportTables, TicketChannel, TicketPriority, TicketStatus } from './schema.js';
import { authorizePlacement, guardOf, loadTicket, type TicketRow } from './ticket-access.js';
import { takeTicketNumbers } from './ticket-numbers.js';
import { statusStamps } from './ticket-status.js';

const TICKET_TRASH: TrashTarget = { table: 'tickets', key: 'ticket', label: 'Ticket' };

const db = (tx: Tx) => tx.withTables<SupportTables>();

/** A ticket as the API presents it. */
export interface Ticket {
  id: string;
  /** The per-organization sequential number people quote (#1042). */
  number: number;
  subject: string;
  description: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  channel: TicketChannel;
  contactId: string | null;
  companyId: string | null;
  /** The assignee; null while the ticket waits in its team's queue. */
  ownerId: string | null;
  teamId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  solvedAt: string | null;
  closedAt: string | null;
  /** Set by Support's reply tracking (not yet built); read-only. */
  firstResponseAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** Fields a client may set on a ticket (shape-validated at the edge). */
export interface TicketInput {
  subject?: string;
  description?: string | null;
  status?: TicketStatus;
  priority?: TicketPriority;
  channel?: TicketChannel;
  /** The customer; on create, the ticket's company defaults to this contact's company. */
  contactId?: string | null;
  companyId?: string | null;
  /** Omitted on create: the creator. Null: unassigned, waiting in `teamId`'s queue. */
  ownerId?: string | null;
  teamId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentTicket(r: TicketRow): Ticket {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    description: r.description,
    status: r.status,
    priority: r.priority,
    channel: r.channel,
    contactId: r.contact_id,
    companyId: r.company_id,
    ownerId: r.owner_id,
    teamId: r.team_id,
    tags: r.tags,
    customFields: r.custom_fields,
    solvedAt: iso(r.solved_at),
    closedAt: iso(r.closed_at),
    firstResponseAt: iso(r.first_response_at),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deletedAt: iso(r.deleted_at),
  };
}

/** The columns an input sets (tags trimmed and deduplicated). */
function ticketColumns(input: TicketInput, customFields: Record<string, unknown> | undefined) {
  return {
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.priority !== undefined ? { priority: input.priority } : {}),
    ...(input.channel !== undefined ? { channel: input.channel } : {}),
    ...(input.contactId !== undefined ? { contact_id: input.contactId } : {}),
    ...(input.companyId !== undefined ? { company_id: input.companyId } : {}),
    ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
    ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
    ...(input.tags !== undefined
      ? { tags: [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))] }
      : {}),
    ...(customFields !== undefined ? { custom_fields: JSON.stringify(customFields) } : {}),
  };
}

/** The fields an audit diff and the updated event show (versions and timestamps of the row itself are noise there). */
function auditable(t: Ticket): Record<string, unknown> {
  const { version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest } = t;
  return rest;
}

/** Checks every reference the input names (422 naming each bad field); answers the contact when one is given. */
async function checkReferences(ctx: Ctx, tx: Tx, input: TicketInput): Promise<Contact | null> {
  await assertReferences(ctx, tx, [
    { field: 'ownerId', kind: 'user', id: input.ownerId },
    { field: 'teamId', kind: 'team', id: input.teamId },
    { field: 'contactId', kind: 'contact', id: input.contactId },
    { field: 'companyId', kind: 'company', id: input.companyId },
  ]);
  return input.contactId ? getContact(ctx, input.contactId) : null;
}

/** Announces the assignee as `ticket.assigned`: the common assignment payload plus the ticket's own fields. */
async function emitAssigned(
  ctx: Ctx,
  tx: Tx,
  payload: Omit<TicketAssignedPayload, 'assignedBy'>,
): Promise<void> {
  const extra = { ...payload, assignedBy: ctx.actor.userId };
  await announce(ctx, tx, {
    recordType: 'ticket',
    recordId: payload.ticketId,
    kind: 'ticket',
    label: `#${payload.number} ${payload.subject}`,
    ownerId: payload.ownerId,
    previousOwnerId: payload.previousOwnerId,
    extra,
  });
}

/**
 * Opens a ticket with the organization's next number. Without an owner the creator takes it;
 * `ownerId: null` leaves it in `teamId`'s queue. The actor's scope must cover the placement, so
 * nobody creates a ticket they could not see afterwards.
 */
export async function createTicket(
  ctx: Ctx,
  input: TicketInput & { subject: string },
): Promise<Ticket> {
  authorize(ctx, 'tickets:create');
  const ownerId = input.ownerId === undefined ? ctx.actor.userId : input.ownerId;
  const teamId = input.teamId ?? null;
  authorizePlacement(ctx, 'tickets:create', { ownerId, teamId });
  return ctx.tx(async (tx) => {
    const contact = await checkReferences(ctx, tx, { ...input, ownerId });
    const companyId =
      input.companyId !== undefined ? input.companyId : (contact?.companyId ?? null);
    const custom =
      (await validatedCustomFields(ctx, tx, 'ticket', input.customFields, false)) ?? {};
    const status = input.status ?? 'new';
    const [number = 0] = await takeTicketNumbers(tx, ctx.organizationId);
    const row = await db(tx)
      .insertInto('tickets')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        number,
        ...ticketColumns({ ...input, status, ownerId, teamId, companyId }, custom),
        subject: input.subject,
        ...statusStamps(null, status, ctx.deps.clock.now()),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const ticket = presentTicket(row);
    await ctx.audit(tx, {
      action: 'ticket.created',
      targetType: 'ticket',
      targetId: row.id,
      diff: fieldDiff(null, auditable(ticket)),
    });
    await ctx.emit(tx, {
      type: TICKET_EVENTS.created,
      aggregateType: 'ticket',
      aggregateId: row.id,
      payload: { ticket },
    });
    if (ownerId)
      await emitAssigned(ctx, tx, {
        ticketId: row.id,
        number,
        subject: row.subject,
        ownerId,
        previousOwnerId: null,
        teamId,
      });
    return ticket;
  });
}

export async function getTicket(ctx: Ctx, id: string): Promise<Ticket> {
  return ctx.tx(async (tx) => presentTicket(await loadTicket(ctx, tx, id)));
}

/**
 * Partly updates a ticket; `expectedVersion` (If-Match) makes a stale write a 412. A status change
 * stamps or clears the solved and closed times (ticket-status.ts); a new assignee must be within
 * the actor's scope and is announced with `ticket.assigned`.
 */
export async function updateTicket(
  ctx: Ctx,
  id: string,
  input: TicketInput,
  expectedVersion?: number,
): Promise<Ticket> {
  return ctx.tx(async (tx) => {
    const current = await loadTicket(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'tickets:update', guardOf(current));
    assertVersion(expectedVersion, current.version);
    const ownerChanged = input.ownerId !== undefined && input.ownerId !== current.owner_id;
    if (ownerChanged && input.ownerId)
      authorizePlacement(ctx, 'tickets:update', { ownerId: input.ownerId });
    const stamps =
      input.status !== undefined ? statusStamps(current, input.status, ctx.deps.clock.now()) : {};
    await checkReferences(ctx, tx, input);
    const custom = await validatedCustomFields(
      ctx,
      tx,
      'ticket',
      input.customFields,
      true,
      current.custom_fields,
    );
    const row = await db(tx)
      .updateTable('tickets')
      .set({
        ...ticketColumns(input, custom),
        ...stamps,
        version: current.version + 1,
        updated_at: ctx.deps.clock.now(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentTicket(row);
    const diff = fieldDiff(auditable(presentTicket(current)), auditable(after));
    await ctx.audit(tx, { action: 'ticket.updated', targetType: 'ticket', targetId: id, diff });
    await ctx.emit(tx, {
      type: TICKET_EVENTS.updated,
      aggregateType: 'ticket',
      aggregateId: id,
      payload: { ticket: after, changes: diff },
    });
    if (ownerChanged) {
      await emitAssigned(ctx, tx, {
        ticketId: id,
        number: row.number,
        subject: row.subject,
        ownerId: row.owner_id,
        previousOwnerId: current.owner_id,
        teamId: row.team_id,
      });
    }
    return after;
  });
}

/** Moves a ticket to the trash (restorable for 30 days). */
export async function deleteTicket(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const current = await loadTicket(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'tickets:delete', guardOf(current));
    // Notices route on the owner and team, so the event names them.
    await moveToTrash(ctx, tx, TICKET_TRASH, current, {
      id,
      ownerId: current.owner_id,
      teamId: current.team_id,
    });
  });
}

/** Brings a ticket back from the trash (409 when it is not deleted, 422 once the 30 days are over). */
export async function restoreTicket(ctx: Ctx, id: string): Promise<Ticket> {
  return ctx.tx(async (tx) => {
    const current = await loadTicket(ctx, tx, id, { forUpdate: true, includeDeleted: true });
    authorize(ctx, 'tickets:delete', guardOf(current));
    return takeOutOfTrash(ctx, tx, TICKET_TRASH, current, async () =>
      presentTicket(await loadTicket(ctx, tx, id)),
    );
  });
}
