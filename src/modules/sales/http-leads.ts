import type { RouteDef } from '../../platform/http/index.js';
import { idParams, route } from '../../platform/http/index.js';
import { recordRoutes } from '../records/index.js';
import { convertLead } from './conversion.js';
import { formRoutes } from './http-forms.js';
import { ruleRoutes } from './http-rules.js';
import { listLeads } from './lead-list.js';
import {
  conversionSchema,
  convertBody,
  leadBody,
  leadCreateBody,
  leadSchema,
} from './lead-schemas.js';
import { createLead, deleteLead, getLead, restoreLead, updateLead } from './leads.js';

const leads = recordRoutes({
  resource: 'leads',
  singular: 'lead',
  schema: leadSchema,
  createBody: leadCreateBody,
  updateBody: leadBody,
  list: listLeads,
  create: (ctx, body) => createLead(ctx, body),
  get: getLead,
  update: updateLead,
  remove: deleteLead,
  restore: restoreLead,
});

const conversion = route({
  method: 'POST',
  path: '/api/v1/leads/:id/convert',
  permission: 'leads:update',
  summary: 'Convert a lead into a contact, company and optionally a deal (once)',
  tags: ['leads'],
  params: idParams,
  body: convertBody,
  response: { status: 200, schema: conversionSchema },
  handler: ({ ctx, params, body }) => convertLead(ctx, params.id, body),
});

/** Leads, their conversion, web forms and assignment rules. */
export const leadRoutes: readonly RouteDef[] = [...leads, conversion, ...formRoutes, ...ruleRoutes];
