import {
  grantsOver,
  type DefaultGrants,
  type PermissionCatalog,
} from '../../platform/authz/index.js';

/** The resources the contacts module guards: people and companies. */
export const CONTACTS_PERMISSIONS: PermissionCatalog = [
  { resource: 'contacts', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'companies', actions: ['read', 'create', 'update', 'delete', 'export'] },
];

const grant = grantsOver(CONTACTS_PERMISSIONS);
const BOTH = ['contacts', 'companies'];

/** Sales works the people of its teams; marketing and support read people and companies. */
export const CONTACTS_DEFAULT_GRANTS: DefaultGrants = {
  sales_manager: grant('team', BOTH, ['read', 'create', 'update', 'delete', 'export']),
  sales_rep: [
    ...grant('team', BOTH, ['read', 'create', 'update']),
    ...grant('own', BOTH, ['delete']),
  ],
  marketing_specialist: grant('all', BOTH, ['read', 'export']),
  support_agent: grant('all', BOTH, ['read']),
};
