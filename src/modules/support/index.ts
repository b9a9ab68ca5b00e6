/**
 * The support module, first slice: tickets with their sequential numbers, scopes, status times,
 * events, list and search. Email intake, SLAs, routing, the knowledge base and CSAT come later.
 */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import type { NotificationsContributions } from '../notifications/index.js';
import { bulkRoutesOf, exportRouteOf, type RecordsContributions } from '../records/index.js';
import { seedDemoTickets } from './demo-seed.js';
import { ticketRoutes } from './http.js';
import { purgeExpiredTickets } from './maintenance.js';
import { ticketMergeConsumer } from './merge-moves.js';
import { SUPPORT_DEFAULT_GRANTS, SUPPORT_PERMISSIONS } from './permissions.js';
import { supportReferences } from './references.js';
import type { SupportTables } from './schema.js';
import { TICKET_PERSONAL_DATA } from './personal-data.js';
import { TICKET_SEARCH } from './ticket-search.js';
import { SUPPORT_OBJECTS } from './objects.js';

/** Support as the module list sees it; tickets also join records' search and GDPR requests. */
export const supportModule: ModuleDefinition & RecordsContributions & NotificationsContributions = {
  name: 'support',
  objects: SUPPORT_OBJECTS,
  routes: [
    ...ticketRoutes,
    ...SUPPORT_OBJECTS.map(exportRouteOf),
    ...bulkRoutesOf(SUPPORT_OBJECTS),
  ],
  consumers: [ticketMergeConsumer],
  tasks: (deps) => [
    {
      name: 'support.purge-ticket-trash',
      everyMs: 3_600_000,
      run: () => purgeExpiredTickets(deps),
    },
  ],
  references: supportReferences,
  permissions: SUPPORT_PERMISSIONS,
  defaultGrants: SUPPORT_DEFAULT_GRANTS,
  owners: {
    // "Why can this user see ticket X?" (roles settings) weighs the assignee and the team.
    tickets: async (tx, organizationId, id) => {
      const t = await tx
        .withTables<SupportTables>()
        .selectFrom('tickets')
        .select(['owner_id', 'team_id'])
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return t ? { ownerId: t.owner_id, teamId: t.team_id } : null;
    },
  },
  searchProviders: [TICKET_SEARCH],
  personalData: [TICKET_PERSONAL_DATA],
  demoSeed: async (deps, organizationId, adminId) => {
    await seedDemoTickets(deps, organizationId, adminId);
  },
};

export {
  createTicket,
  getTicket,
  updateTicket,
  deleteTicket,
  restoreTicket,
  listTickets,
  type Ticket,
  type TicketInput,
} from './tickets.js';
export { ticketBody, ticketCreateBody } from './ticket-fields.js';
export { TICKET_EVENTS, type TicketAssignedPayload } from './events.js';
export {
  TICKET_STATUSES,
  TICKET_PRIORITIES,
  TICKET_CHANNELS,
  type TicketStatus,
  type TicketPriority,
  type TicketChannel,
} from './schema.js';
export { seedDemoTickets } from './demo-seed.js';
export { purgeExpiredTickets } from './maintenance.js';
