/**
 * The support module, first slice: tickets with their sequential numbers, scopes, status times,
 * events, list and search. Email intake, SLAs, routing, the knowledge base and CSAT come later.
 */
import type { Deps } from '../../platform/context/index.js';
import type { PeriodicTask } from '../../platform/schedule/index.js';
import { registerOwnerResolver } from '../identity/index.js';
import { ticketRoutes } from './http.js';
import { purgeExpiredTickets } from './maintenance.js';
import { ticketMergeConsumer } from './merge-moves.js';
import type { SupportTables } from './schema.js';
import './personal-data.js';
import './ticket-search.js';

// "Why can this user see ticket X?" (roles settings) weighs the assignee and the team.
registerOwnerResolver('tickets', async (tx, organizationId, id) => {
  const t = await tx.withTables<SupportTables>().selectFrom('tickets').select(['owner_id', 'team_id']).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return t ? { ownerId: t.owner_id, teamId: t.team_id } : null;
});

export { supportReferences } from './references.js';

export const supportRoutes = [...ticketRoutes];
export const supportConsumers = [ticketMergeConsumer];
export const supportTasks = (deps: Deps): PeriodicTask[] => [{ name: 'support.purge-ticket-trash', everyMs: 3_600_000, run: () => purgeExpiredTickets(deps) }];

export { createTicket, getTicket, updateTicket, deleteTicket, restoreTicket, type Ticket, type TicketInput } from './tickets.js';
export { listTickets } from './ticket-list.js';
export { ticketBody, ticketCreateBody } from './ticket-schemas.js';
export { TICKET_EVENTS, type TicketAssignedPayload } from './events.js';
export { TICKET_STATUSES, TICKET_PRIORITIES, TICKET_CHANNELS, type TicketStatus, type TicketPriority, type TicketChannel } from './schema.js';
export { seedDemoTickets } from './demo-seed.js';
export { purgeExpiredTickets } from './maintenance.js';
