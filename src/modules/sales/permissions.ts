import {
  grantsOver,
  type DefaultGrants,
  type PermissionCatalog,
} from '../../platform/authz/index.js';

/** The resources sales guards: leads, deals, their pipelines and products, quotas and reports. */
export const SALES_PERMISSIONS: PermissionCatalog = [
  { resource: 'leads', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'deals', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'pipelines', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'products', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'quotas', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'reports', actions: ['read'] },
];

const grant = grantsOver(SALES_PERMISSIONS);
const CRUD = ['read', 'create', 'update', 'delete', 'export'];
/** Everyone picks pipelines and products when they touch a deal. */
const CATALOGS = grant('all', ['pipelines', 'products'], ['read']);

/** Reps work their own and their team's pipeline; managers also set quotas; marketing feeds leads. */
export const SALES_DEFAULT_GRANTS: DefaultGrants = {
  sales_manager: [
    ...grant('team', ['leads', 'deals'], CRUD),
    ...grant('all', ['pipelines', 'products'], ['read', 'create', 'update']),
    ...grant('team', ['quotas'], ['read', 'create', 'update', 'delete']),
    ...grant('team', ['reports'], ['read']),
  ],
  sales_rep: [
    ...grant('team', ['leads', 'deals'], ['read', 'create', 'update']),
    ...grant('own', ['leads', 'deals'], ['delete']),
    ...grant('own', ['quotas'], ['read']),
    ...CATALOGS,
    ...grant('own', ['reports'], ['read']),
  ],
  marketing_specialist: [
    ...grant('all', ['leads'], ['read', 'export']),
    ...grant('team', ['leads'], ['create', 'update']),
    ...CATALOGS,
    ...grant('all', ['reports'], ['read']),
  ],
  support_agent: CATALOGS,
};
