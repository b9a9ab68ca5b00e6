import type { RouteDef } from '../../platform/http/index.js';

/** Leads, web forms, assignment rules and conversion. */
export const leadRoutes: readonly RouteDef[] = [];
