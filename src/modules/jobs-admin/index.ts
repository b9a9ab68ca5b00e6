/** Jobs admin: the background jobs of an organization over /api/v1/jobs — the dead-letter list, retry and discard. */
export { jobRoutes } from './http.js';
export { type JobView } from './jobs.js';
