import {
  grantsOver,
  type DefaultGrants,
  type PermissionCatalog,
} from '../../platform/authz/index.js';
import { CUSTOM_RECORDS } from './custom-objects.js';

/** One resource guards the records of every custom object (defining objects is `settings:update`). */
export const OBJECTS_PERMISSIONS: PermissionCatalog = [
  { resource: CUSTOM_RECORDS, actions: ['read', 'create', 'update', 'delete', 'export'] },
];

const grant = grantsOver(OBJECTS_PERMISSIONS);

/** Custom records start with the access each role has to contacts (migration 0023 did the same). */
export const OBJECTS_DEFAULT_GRANTS: DefaultGrants = {
  sales_manager: grant('team', [CUSTOM_RECORDS], ['read', 'create', 'update', 'delete', 'export']),
  sales_rep: [
    ...grant('team', [CUSTOM_RECORDS], ['read', 'create', 'update']),
    ...grant('own', [CUSTOM_RECORDS], ['delete']),
  ],
  marketing_specialist: grant('all', [CUSTOM_RECORDS], ['read', 'export']),
  support_agent: grant('all', [CUSTOM_RECORDS], ['read']),
};
