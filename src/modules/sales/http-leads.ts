import type { RouteDef } from '../../platform/http/index.js';
import { idParams, route } from '../../platform/http/index.js';
import { recordRoutes } from '../records/index.js';
import { convertLead } from './conversion.js';
import { formRoutes } from './http-forms.js';
import { leadGdprRoutes } from './http-lead-gdpr.js';
import { ruleRoutes } from './http-rules.js';
import { previewConversion } from './conversion-preview.js';
import {
  conversionPreviewSchema,
  conversionSchema,
  convertBody,
  previewQuery,
} from './conversion-schemas.js';
import { leadBody, leadCreateBody, leadSchema } from './lead-fields.js';
import { createLead, deleteLead, getLead, listLeads, restoreLead, updateLead } from './leads.js';

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

/**
 * A GET rather than `POST …/convert` with a dry-run flag: it writes nothing, so it is a read
 * (API.md: GET reads), safe to repeat and to cache per choice, and a client cannot turn a preview
 * into a conversion by dropping one field. It takes the same choices, as query parameters.
 */
const preview = route({
  method: 'GET',
  path: '/api/v1/leads/:id/conversion-preview',
  permission: 'leads:update',
  summary: 'What converting this lead would do: the contact, company and deal defaults',
  tags: ['leads'],
  params: idParams,
  query: previewQuery,
  response: { status: 200, schema: conversionPreviewSchema },
  handler: ({ ctx, params, query }) => previewConversion(ctx, params.id, query),
});

/** Leads, their conversion and GDPR requests, web forms and assignment rules. */
export const leadRoutes: readonly RouteDef[] = [
  ...leads,
  preview,
  conversion,
  ...leadGdprRoutes,
  ...formRoutes,
  ...ruleRoutes,
];
