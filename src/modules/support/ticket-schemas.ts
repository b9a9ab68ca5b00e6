import { z } from 'zod';
import { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from './schema.js';

const list = (values: readonly string[]) => values.join(', ');
const status = z.enum(TICKET_STATUSES, { error: `must be one of ${list(TICKET_STATUSES)}` });
const priority = z.enum(TICKET_PRIORITIES, { error: `must be one of ${list(TICKET_PRIORITIES)}` });
const channel = z.enum(TICKET_CHANNELS, { error: `must be one of ${list(TICKET_CHANNELS)}` });
const subject = z.string().trim().min(1, 'is required').max(300, 'must be at most 300 characters');
const customFields = z
  .record(z.string().max(63), z.unknown())
  .refine((o) => Object.keys(o).length <= 200, 'at most 200 custom fields');

const ticketFields = {
  subject: subject.optional(),
  description: z.string().max(50_000, 'must be at most 50,000 characters').nullable().optional(),
  status: status.optional(),
  priority: priority.optional(),
  channel: channel.optional(),
  contactId: z.uuid().nullable().optional(),
  companyId: z.uuid().nullable().optional(),
  ownerId: z
    .uuid()
    .nullable()
    .optional()
    .describe("The assignee. Omitted on create: the creator; null: unassigned, in teamId's queue"),
  teamId: z.uuid().nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  customFields: customFields.optional(),
};

/** The body of PATCH /tickets/{id}. */
export const ticketBody = z.object(ticketFields).strict();

/** The body of POST /tickets: a subject at least. */
export const ticketCreateBody = z.object({ ...ticketFields, subject }).strict();

export const ticketSchema = z
  .object({
    id: z.uuid(),
    number: z.number().int().describe('Sequential per organization, shown as #number'),
    subject: z.string(),
    description: z.string().nullable(),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    channel: z.enum(TICKET_CHANNELS),
    contactId: z.uuid().nullable(),
    companyId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    solvedAt: z
      .string()
      .nullable()
      .describe(
        'Set when the status becomes solved (or closed); cleared when a solved ticket reopens',
      ),
    closedAt: z
      .string()
      .nullable()
      .describe('Set when the status becomes closed; a closed ticket cannot be reopened'),
    firstResponseAt: z
      .string()
      .nullable()
      .describe('Read-only: set by Support when the first reply goes out'),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .meta({ id: 'Ticket' });
