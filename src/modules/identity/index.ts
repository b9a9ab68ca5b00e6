/** The identity module: organizations, users, sessions, MFA, roles, teams, API keys, audit and mailbox views. */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import { identityOwners } from './explain.js';
import { adminRoutes } from './http-admin.js';
import { auditRoutes } from './http-audit.js';
import { authRoutes } from './http-auth.js';
import { IDENTITY_DEFAULT_GRANTS, IDENTITY_PERMISSIONS } from './permissions.js';
import { identityReferences } from './references.js';

/** Identity as the module list sees it. */
export const identityModule: ModuleDefinition = {
  name: 'identity',
  routes: [...authRoutes, ...adminRoutes, ...auditRoutes],
  references: identityReferences,
  permissions: IDENTITY_PERMISSIONS,
  defaultGrants: IDENTITY_DEFAULT_GRANTS,
  owners: identityOwners,
};

export { authenticate } from './authenticate.js';
export {
  bootstrapOrganization,
  createUserInOrganization,
  listOrganizations,
} from './organizations.js';
export { teamMemberIds } from './teams.js';
export { listAdminRecipients, type AdminRecipient } from './admins.js';
/** The actor of a user right now (roles and teams resolved), for work done on their behalf later. */
export { userActor as actorForUser } from './actor.js';
