/** The sales module: leads and their conversion, pipelines, deals, board, forecast, quotas. */
import { dealRoutes } from './http-deals.js';
import { leadRoutes } from './http-leads.js';

export const salesRoutes = [...leadRoutes, ...dealRoutes];
