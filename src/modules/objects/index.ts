/** The objects module: the registry of record types as clients see it (`GET /api/v1/objects`). */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import { objectRoutes } from './http.js';

/** Objects as the module list sees it: the record types themselves are declared by their modules. */
export const objectsModule: ModuleDefinition = {
  name: 'objects',
  routes: objectRoutes,
};

export { describeObjects } from './describe.js';
