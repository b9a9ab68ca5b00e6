import type { RouteDef } from '../../platform/http/index.js';
import { recordRoutes } from '../records/index.js';
import { ticketBody, ticketCreateBody, ticketSchema } from './ticket-fields.js';
import {
  createTicket,
  deleteTicket,
  getTicket,
  listTickets,
  restoreTicket,
  updateTicket,
} from './tickets.js';

/** /api/v1/tickets: list, create, read, update (If-Match), delete to the trash, restore. */
export const ticketRoutes: readonly RouteDef[] = recordRoutes({
  resource: 'tickets',
  singular: 'ticket',
  schema: ticketSchema,
  createBody: ticketCreateBody,
  updateBody: ticketBody,
  list: listTickets,
  create: createTicket,
  get: getTicket,
  update: updateTicket,
  remove: deleteTicket,
  restore: restoreTicket,
});
