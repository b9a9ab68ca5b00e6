import {
  grantsOver,
  type DefaultGrants,
  type PermissionCatalog,
} from '../../platform/authz/index.js';

/** The resources identity guards: people, access, the audit trail and organization settings. */
export const IDENTITY_PERMISSIONS: PermissionCatalog = [
  { resource: 'users', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'roles', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'teams', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'api-keys', actions: ['read', 'create', 'delete'] },
  { resource: 'audit', actions: ['read'] },
  { resource: 'mailbox', actions: ['read'] },
  { resource: 'settings', actions: ['read', 'update'] },
];

const grant = grantsOver(IDENTITY_PERMISSIONS);
/** Everyone finds their colleagues and teams (owner pickers, assignment). */
const DIRECTORY = grant('all', ['users', 'teams'], ['read']);

/** Built-in roles read the directory; managers keep API keys of their own. */
export const IDENTITY_DEFAULT_GRANTS: DefaultGrants = {
  sales_manager: [...DIRECTORY, ...grant('own', ['api-keys'], ['read', 'create', 'delete'])],
  sales_rep: DIRECTORY,
  marketing_specialist: DIRECTORY,
  support_agent: DIRECTORY,
};
