import { z } from 'zod';
import {
  CUSTOM_FIELDS_FIELD,
  RECORD_ID_FIELD,
  RECORD_STAMP_FIELDS,
  defineFields,
} from '../../platform/objects/index.js';
import { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from './schema.js';

const list = (values: readonly string[]) => values.join(', ');
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${list(values)}` });
const link = z.uuid().nullable();

/**
 * A ticket's fields, declared once: its API shape, create and update bodies, list filters and
 * sorts, and what `GET /api/v1/objects` says of each (custom fields are added per organization).
 * Status and priority sort in their declared order (new → closed, low → urgent), not the
 * alphabet's, which would read "high, low, normal, urgent"; a channel has no order, so it only
 * filters.
 */
export const TICKET_OBJECT_FIELDS = defineFields('Ticket', {
  id: RECORD_ID_FIELD,
  number: {
    kind: 'number',
    description: 'Sequential per organization, shown as #number',
    list: { column: 'number', notNull: true },
  },
  subject: {
    kind: 'text',
    input: z.string().trim().min(1, 'is required').max(300, 'must be at most 300 characters'),
    required: true,
    list: { column: 'subject', notNull: true },
  },
  description: {
    kind: 'long_text',
    nullable: true,
    input: z.string().max(50_000, 'must be at most 50,000 characters').nullable(),
  },
  status: {
    kind: 'enum',
    values: TICKET_STATUSES,
    input: oneOf(TICKET_STATUSES),
    list: { column: 'status', notNull: true, ordered: true },
  },
  priority: {
    kind: 'enum',
    values: TICKET_PRIORITIES,
    input: oneOf(TICKET_PRIORITIES),
    list: { column: 'priority', notNull: true, ordered: true },
  },
  channel: {
    kind: 'enum',
    values: TICKET_CHANNELS,
    input: oneOf(TICKET_CHANNELS),
    list: { column: 'channel', notNull: true, sortable: false },
  },
  contactId: {
    kind: 'relation',
    relation: 'contact',
    nullable: true,
    input: link,
    list: { column: 'contact_id' },
  },
  companyId: {
    kind: 'relation',
    relation: 'company',
    nullable: true,
    input: link,
    list: { column: 'company_id' },
  },
  ownerId: {
    kind: 'relation',
    relation: 'user',
    label: 'Assignee',
    nullable: true,
    input: link,
    inputDescription:
      "The assignee. Omitted on create: the creator; null: unassigned, in teamId's queue",
    list: { column: 'owner_id' },
  },
  teamId: {
    kind: 'relation',
    relation: 'team',
    nullable: true,
    input: link,
    list: { column: 'team_id' },
  },
  tags: {
    kind: 'tags',
    input: z.array(z.string().trim().min(1).max(50)).max(50),
    list: { column: 'tags', sortable: false },
  },
  customFields: CUSTOM_FIELDS_FIELD,
  solvedAt: {
    kind: 'datetime',
    nullable: true,
    description:
      'Set when the status becomes solved (or closed); cleared when a solved ticket reopens',
    list: { column: 'solved_at' },
  },
  closedAt: {
    kind: 'datetime',
    nullable: true,
    description: 'Set when the status becomes closed; a closed ticket cannot be reopened',
    list: { column: 'closed_at' },
  },
  firstResponseAt: {
    kind: 'datetime',
    nullable: true,
    description: 'Read-only: set by Support when the first reply goes out',
    list: { column: 'first_response_at' },
  },
  ...RECORD_STAMP_FIELDS,
});

/** A ticket as the API presents it (`Ticket` in the OpenAPI document). */
export const ticketSchema = TICKET_OBJECT_FIELDS.schema;
/** The body of POST /tickets: a subject at least. */
export const ticketCreateBody = TICKET_OBJECT_FIELDS.createBody;
/** The body of PATCH /tickets/{id}. */
export const ticketBody = TICKET_OBJECT_FIELDS.updateBody;
/** The fields a ticket list filters and sorts on. */
export const TICKET_FIELDS = TICKET_OBJECT_FIELDS.listFields;
