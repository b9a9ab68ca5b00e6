import { createTicket, deleteTicket, getTicket, listTickets, updateTicket } from './tickets.js';
import type { ObjectDefinition } from '../../platform/objects/index.js';
import { TICKET_OBJECT_FIELDS } from './ticket-fields.js';

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
    // Its schemas, list fields, relations, labels and field descriptions, from one field list.
    ...TICKET_OBJECT_FIELDS,
    capabilities: {
      trash: true,
      merge: false,
      import: false,
      export: true,
      customFields: true,
      workflows: true,
      timeline: false,
    },
  },
];
