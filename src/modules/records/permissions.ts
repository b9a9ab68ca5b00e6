import {
  grantsOver,
  type DefaultGrants,
  type PermissionCatalog,
} from '../../platform/authz/index.js';

/** The resources records guards: the activities on any record. */
export const RECORDS_PERMISSIONS: PermissionCatalog = [
  { resource: 'activities', actions: ['read', 'create', 'update', 'delete'] },
];

const grant = grantsOver(RECORDS_PERMISSIONS);
const ACTIVITIES = ['activities'];

/** Sales works the activities of its teams; support its own. */
export const RECORDS_DEFAULT_GRANTS: DefaultGrants = {
  sales_manager: grant('team', ACTIVITIES, ['read', 'create', 'update', 'delete']),
  sales_rep: [
    ...grant('team', ACTIVITIES, ['read', 'create', 'update']),
    ...grant('own', ACTIVITIES, ['delete']),
  ],
  support_agent: grant('own', ACTIVITIES, ['read', 'create', 'update']),
};
