/** The identity module: organizations, users, sessions, MFA, roles, teams, API keys, audit and mailbox views. */
import type { Consumer } from '../../platform/outbox/index.js';
import { adminRoutes } from './http-admin.js';
import { auditRoutes } from './http-audit.js';
import { authRoutes } from './http-auth.js';

export const identityRoutes = [...authRoutes, ...adminRoutes, ...auditRoutes];
export const identityConsumers: Consumer[] = [];
export { authenticate } from './authenticate.js';
export { bootstrapOrganization, createUserInOrganization, listOrganizations, registerOrganizationSetup, type OrganizationSetup } from './organizations.js';
export { teamMemberIds } from './teams.js';
export { identityReferences } from './references.js';
export { listAdminRecipients, type AdminRecipient } from './admins.js';
export { registerOwnerResolver, type OwnerResolver } from './explain.js';
/** The actor of a user right now (roles and teams resolved), for work done on their behalf later. */
export { userActor as actorForUser } from './actor.js';
