import { createTicket, deleteTicket, getTicket, listTickets, updateTicket } from './tickets.js';
import type { ObjectDefinition } from '../../platform/objects/index.js';
import { TICKET_FIELDS } from './ticket-fields.js';
import { ticketBody, ticketCreateBody, ticketSchema } from './ticket-schemas.js';

/** Tickets in the object registry. */
export const SUPPORT_OBJECTS: readonly ObjectDefinition[] = [
  {
    key: 'ticket',
    lifecycle: {
      get: getTicket,
      create: createTicket,
      update: updateTicket,
      delete: deleteTicket,
      list: listTickets,
      ownerField: 'ownerId',
    },
    table: 'tickets',
    resource: 'tickets',
    labels: { singular: 'Ticket', plural: 'Tickets' },
    titleField: 'subject',
    schema: ticketSchema,
    createBody: ticketCreateBody,
    updateBody: ticketBody,
    listFields: TICKET_FIELDS,
    relations: { ownerId: 'user', teamId: 'team', contactId: 'contact', companyId: 'company' },
    capabilities: {
      trash: true,
      merge: false,
      import: false,
      export: true,
      customFields: true,
      workflows: true,
      timeline: false,
    },
    fieldLabels: { ownerId: 'Assignee' },
  },
];
