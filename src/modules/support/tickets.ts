import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  recordLifecycle,
  type LifecycleHooks,
  type LoadOptions,
  type RecordListPage,
} from '../records/index.js';
import { getContact } from '../contacts/index.js';
import type { TicketAssignedPayload } from './events.js';
import type { TicketChannel, TicketPriority, TicketStatus } from './schema.js';
import { authorizePlacement, guardOf, type TicketRow } from './ticket-access.js';
import { TICKET_FIELDS } from './ticket-fields.js';
import { takeTicketNumbers } from './ticket-numbers.js';
import { ticketSearchSql } from './ticket-search.js';
import { statusStamps } from './ticket-status.js';

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
function ticketColumns(input: TicketInput) {
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
  };
}

/** Tickets' own rules around the shared lifecycle: numbers, the company, status times. */
const TICKET_HOOKS: LifecycleHooks<TicketRow, Ticket, TicketInput> = {
  async beforeCreate(ctx, tx, input) {
    const contact = input.contactId ? await getContact(ctx, input.contactId) : null;
    const companyId =
      input.companyId !== undefined ? input.companyId : (contact?.companyId ?? null);
    const status = input.status ?? 'new';
    const [number = 0] = await takeTicketNumbers(tx, ctx.organizationId);
    return {
      input: { ...input, status, companyId, teamId: input.teamId ?? null },
      columns: { number, ...statusStamps(null, status, ctx.deps.clock.now()) },
    };
  },
  // A status change stamps or clears the solved and closed times.
  beforeUpdate: async (ctx, _tx, current, input) => ({
    input,
    columns:
      input.status !== undefined ? statusStamps(current, input.status, ctx.deps.clock.now()) : {},
  }),
};

const tickets = recordLifecycle<TicketRow, Ticket, TicketInput>({
  key: 'ticket',
  resource: 'tickets',
  label: 'Ticket',
  table: 'tickets',
  mergeable: false,
  guard: guardOf,
  // The actor's scope must cover the placement, so nobody hands work to a stranger or creates a
  // ticket they could not see afterwards; `ownerId: null` leaves it in its team's queue.
  authorizeOwner: (ctx, action, ownerId, input) => {
    if (action === 'create')
      authorizePlacement(ctx, 'tickets:create', { ownerId, teamId: input.teamId ?? null });
    else if (ownerId) authorizePlacement(ctx, 'tickets:update', { ownerId });
  },
  present: async (_ctx, _tx, rows) => rows.map(presentTicket),
  columns: ticketColumns,
  references: (input) => [
    { field: 'ownerId', kind: 'user', id: input.ownerId },
    { field: 'teamId', kind: 'team', id: input.teamId },
    { field: 'contactId', kind: 'contact', id: input.contactId },
    { field: 'companyId', kind: 'company', id: input.companyId },
  ],
  assignment: {
    label: (t) => `#${t.number} ${t.subject}`,
    ownerOf: (t) => t.ownerId,
    // Queues and routing rules read every first assignee, and the fields tickets always carried.
    announceEveryFirstOwner: true,
    extra: (ctx, t, _row, change) => {
      const payload: TicketAssignedPayload = {
        ticketId: t.id,
        number: t.number,
        subject: t.subject,
        ownerId: t.ownerId,
        previousOwnerId: change.previousOwnerId,
        teamId: t.teamId,
        assignedBy: ctx.actor.userId,
      };
      return { ...payload };
    },
  },
  // Notices route on the owner and team, so the event names them.
  deletedPayload: (row) => ({ id: row.id, ownerId: row.owner_id, teamId: row.team_id }),
  list: { fields: TICKET_FIELDS, search: ticketSearchSql, teamColumn: 'team_id' },
  hooks: TICKET_HOOKS,
});

/**
 * Opens a ticket with the organization's next number. Without an owner the creator takes it;
 * `ownerId: null` leaves it in `teamId`'s queue.
 */
export const createTicket = (ctx: Ctx, input: TicketInput & { subject: string }): Promise<Ticket> =>
  tickets.create(ctx, input);

/** Loads a ticket the actor may read, or throws 404 (another organization's, missing, out of scope, or in the trash). */
export const loadTicket = (
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: LoadOptions = {},
): Promise<TicketRow> => tickets.load(ctx, tx, id, options);

export const getTicket = (ctx: Ctx, id: string): Promise<Ticket> => tickets.get(ctx, id);

/**
 * Partly updates a ticket; `expectedVersion` (If-Match) makes a stale write a 412. A new assignee
 * must be within the actor's scope and is announced with `ticket.assigned`.
 */
export const updateTicket = (
  ctx: Ctx,
  id: string,
  input: TicketInput,
  expectedVersion?: number,
): Promise<Ticket> => tickets.update(ctx, id, input, expectedVersion);

/** Moves a ticket to the trash (restorable for 30 days). */
export const deleteTicket = (ctx: Ctx, id: string): Promise<void> => tickets.remove(ctx, id);

/** Brings a ticket back from the trash (409 when it is not deleted, 422 once the 30 days are over). */
export const restoreTicket = (ctx: Ctx, id: string): Promise<Ticket> => tickets.restore(ctx, id);

/**
 * A page of tickets the actor may read, with API.md's filters, sort, search and cursor: assigned to
 * them (or, with team scope, to their teams' members) or waiting in their teams' queues.
 */
export const listTickets = (
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<RecordListPage<Ticket>> => tickets.list(ctx, rawQuery);
