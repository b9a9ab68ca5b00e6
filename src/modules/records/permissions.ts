import {
  grantsOver,
  type DefaultGrants,
  type PermissionCatalog,
} from '../../platform/authz/index.js';

/** The resources records guards: people, companies and the activities on them. */
export const RECORDS_PERMISSIONS: PermissionCatalog = [
  { resource: 'contacts', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'companies', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'activities', actions: ['read', 'create', 'update', 'delete'] },
];

const grant = grantsOver(RECORDS_PERMISSIONS);
const ALL = ['contacts', 'companies', 'activities'];
const CRUD = ['read', 'create', 'update', 'delete', 'export'];

/** Sales works the records of its teams; marketing and support read people and companies. */
export const RECORDS_DEFAULT_GRANTS: DefaultGrants = {
  sales_manager: grant('team', ALL, CRUD),
  sales_rep: [
    ...grant('team', ALL, ['read', 'create', 'update']),
    ...grant('own', ALL, ['delete']),
  ],
  marketing_specialist: grant('all', ['contacts', 'companies'], ['read', 'export']),
  support_agent: [
    ...grant('all', ['contacts', 'companies'], ['read']),
    ...grant('own', ['activities'], ['read', 'create', 'update']),
  ],
};
