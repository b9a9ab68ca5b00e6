/**
 * The objects module: the registry of record types as clients see it (`GET /api/v1/objects`), and
 * the objects an admin defines as data — their definitions, records, lists, exports and imports.
 */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import type { NotificationsContributions } from '../notifications/index.js';
import type { RecordsContributions } from '../records/index.js';
import { CUSTOM_RECORDS, customObjectSource } from './custom-objects.js';
import { objectRoutes } from './http.js';
import { objectRecordRoutes } from './http-records.js';
import { purgeExpiredObjectRecords } from './maintenance.js';
import { dataImportKind } from './object-import.js';
import { OBJECTS_DEFAULT_GRANTS, OBJECTS_PERMISSIONS } from './permissions.js';
import type { ObjectsTables } from './schema.js';

/** Objects as the module list sees it: built-in record types are declared by their own modules. */
export const objectsModule: ModuleDefinition & RecordsContributions & NotificationsContributions = {
  name: 'objects',
  routes: [...objectRoutes, ...objectRecordRoutes],
  objectSource: customObjectSource,
  permissions: OBJECTS_PERMISSIONS,
  defaultGrants: OBJECTS_DEFAULT_GRANTS,
  dataObjectsPermission: CUSTOM_RECORDS,
  dataImportKind,
  owners: {
    [CUSTOM_RECORDS]: async (tx, organizationId, id) => {
      const r = await tx
        .withTables<ObjectsTables>()
        .selectFrom('object_records')
        .select('owner_id')
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? { ownerId: r.owner_id } : null;
    },
  },
  tasks: (deps) => [
    {
      name: 'objects.purge-record-trash',
      everyMs: 3_600_000,
      run: () => purgeExpiredObjectRecords(deps),
    },
  ],
};

export { describeObjects } from './describe.js';
