import type { RouteDef } from '../../platform/http/index.js';
import { recordRoutes } from '../records/index.js';
import { formRoutes } from './http-forms.js';
import { ruleRoutes } from './http-rules.js';
import { listLeads } from './lead-list.js';
import { leadBody, leadCreateBody, leadSchema } from './lead-schemas.js';
import { createLead, deleteLead, getLead, restoreLead, updateLead } from './leads.js';

const leads = recordRoutes({
  resource: 'leads', singular: 'lead', schema: leadSchema, createBody: leadCreateBody, updateBody: leadBody,
  list: listLeads, create: (ctx, body) => createLead(ctx, body), get: getLead, update: updateLead, remove: deleteLead, restore: restoreLead,
});

/** Leads, their conversion, web forms and assignment rules. */
export const leadRoutes: readonly RouteDef[] = [...leads, ...formRoutes, ...ruleRoutes];
