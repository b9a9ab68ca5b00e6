import type { RouteDef } from '../../platform/http/index.js';

/** Pipelines, deals, products, board, forecast and quotas. */
export const dealRoutes: readonly RouteDef[] = [];
