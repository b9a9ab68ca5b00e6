import { z } from 'zod';
import { idParams, route } from '../../platform/http/index.js';
import { eraseLead, leadPersonalData } from './lead-gdpr.js';

/** A lead's GDPR requests, shaped like a contact's: the same paths under `/leads`. */
export const leadGdprRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/leads/:id/personal-data',
    permission: 'leads:export',
    summary: "Everything held about a lead's person (GDPR access request)",
    tags: ['leads', 'gdpr'],
    params: idParams,
    response: { status: 200, schema: z.record(z.string(), z.unknown()) },
    handler: ({ ctx, params }) => leadPersonalData(ctx, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/leads/:id/erase',
    permission: 'leads:delete',
    summary: "Erase a lead's personal data (GDPR erasure); the lead stays, blanked",
    tags: ['leads', 'gdpr'],
    params: idParams,
    response: {
      status: 200,
      schema: z.object({ erasedAt: z.string(), activities: z.number(), auditEntries: z.number() }),
    },
    handler: ({ ctx, params }) => eraseLead(ctx, params.id),
  }),
];
