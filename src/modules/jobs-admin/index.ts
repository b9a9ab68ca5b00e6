/** Jobs admin: the background jobs of an organization over /api/v1/jobs — the dead-letter list, retry and discard. */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import { jobRoutes } from './http.js';

/** Jobs admin as the module list sees it; only admins get its resource. */
export const jobsAdminModule: ModuleDefinition = {
  name: 'jobs-admin',
  routes: jobRoutes,
  permissions: [{ resource: 'jobs', actions: ['read', 'update'] }],
};

export { type JobView } from './jobs.js';
