import type { FieldMap } from '../../platform/listing/index.js';
import { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from './schema.js';

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
