import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { FieldMap } from '../../platform/listing/index.js';
import { listRecords } from '../records/index.js';
import { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from './schema.js';
import type { TicketRow } from './ticket-access.js';
import { ticketSearchSql } from './ticket-search.js';
import { presentTicket, type Ticket } from './tickets.js';

/**
 * The fields a ticket list filters and sorts on (custom fields are added per organization).
 * Status and priority sort in their declared order (new → closed, low → urgent), not the
 * alphabet's, which would read "high, low, normal, urgent"; a channel has no order, so it only
 * filters.
 */
export const TICKET_FIELDS: FieldMap = {
  number: { column: 'number', type: 'number', notNull: true },
  subject: { column: 'subject', type: 'text', notNull: true },
  status: { column: 'status', type: 'enum', values: TICKET_STATUSES, notNull: true, ordered: true },
  priority: {
    column: 'priority',
    type: 'enum',
    values: TICKET_PRIORITIES,
    notNull: true,
    ordered: true,
  },
  channel: {
    column: 'channel',
    type: 'enum',
    values: TICKET_CHANNELS,
    notNull: true,
    sortable: false,
  },
  ownerId: { column: 'owner_id', type: 'uuid' },
  teamId: { column: 'team_id', type: 'uuid' },
  contactId: { column: 'contact_id', type: 'uuid' },
  companyId: { column: 'company_id', type: 'uuid' },
  tags: { column: 'tags', type: 'tags', sortable: false },
  solvedAt: { column: 'solved_at', type: 'datetime' },
  closedAt: { column: 'closed_at', type: 'datetime' },
  firstResponseAt: { column: 'first_response_at', type: 'datetime' },
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
  updatedAt: { column: 'updated_at', type: 'datetime', notNull: true },
};

const PERMISSION = 'tickets:read';

/**
 * A page of tickets the actor may read, with API.md's filters, sort, search and cursor: assigned to
 * them (or, with team scope, to their teams' members) or waiting in their teams' queues.
 */
export async function listTickets(
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<{ data: Ticket[]; meta: { nextCursor: string | null; total?: number } }> {
  authorize(ctx, PERMISSION);
  return ctx.tx(async (tx) => {
    const page = await listRecords<TicketRow>(
      ctx,
      tx,
      {
        table: 'tickets',
        objectType: 'ticket',
        permission: PERMISSION,
        mergeable: false,
        teamColumn: 'team_id',
        fields: TICKET_FIELDS,
        search: ticketSearchSql,
      },
      rawQuery,
    );
    return {
      data: page.rows.map(presentTicket),
      meta: {
        nextCursor: page.nextCursor,
        ...(page.total !== undefined ? { total: page.total } : {}),
      },
    };
  });
}
