import {
  grantsOver,
  type DefaultGrants,
  type PermissionCatalog,
} from '../../platform/authz/index.js';

/** The resources support guards. */
export const SUPPORT_PERMISSIONS: PermissionCatalog = [
  { resource: 'tickets', actions: ['read', 'create', 'update', 'delete', 'export'] },
];

const grant = grantsOver(SUPPORT_PERMISSIONS);

/** Support works (and exports) tickets; sales sees and raises their customers' issues. */
export const SUPPORT_DEFAULT_GRANTS: DefaultGrants = {
  sales_manager: grant('team', ['tickets'], ['read', 'create']),
  sales_rep: grant('team', ['tickets'], ['read', 'create']),
  support_agent: [
    ...grant('team', ['tickets'], ['read', 'create', 'update', 'export']),
    ...grant('own', ['tickets'], ['delete']),
  ],
};
