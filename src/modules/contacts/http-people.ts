import { z } from 'zod';
import { idParams, route } from '../../platform/http/index.js';
import { companySchema } from './company-fields.js';
import { contactSchema } from './contact-fields.js';
import { findCompanyDuplicates, findContactDuplicates } from './duplicates.js';
import { eraseContact, personalData } from './gdpr.js';

const group = <T extends z.ZodType>(record: T) =>
  z.object({ reason: z.string(), key: z.string(), records: z.array(record) });

/** People and companies that look alike, and a person's GDPR requests. */
export const duplicateAndGdprRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/contacts/duplicates',
    permission: 'contacts:read',
    summary: 'Contacts that look like the same person',
    tags: ['contacts'],
    response: { status: 200, schema: z.object({ data: z.array(group(contactSchema)) }) },
    handler: async ({ ctx }) => ({ data: await findContactDuplicates(ctx) }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/companies/duplicates',
    permission: 'companies:read',
    summary: 'Companies that look like the same company',
    tags: ['companies'],
    response: { status: 200, schema: z.object({ data: z.array(group(companySchema)) }) },
    handler: async ({ ctx }) => ({ data: await findCompanyDuplicates(ctx) }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/contacts/:id/personal-data',
    permission: 'contacts:export',
    summary: 'Everything held about a person (GDPR access request)',
    tags: ['contacts', 'gdpr'],
    params: idParams,
    response: { status: 200, schema: z.record(z.string(), z.unknown()) },
    handler: ({ ctx, params }) => personalData(ctx, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/contacts/:id/erase',
    permission: 'contacts:delete',
    summary: "Erase a person's personal data everywhere (GDPR erasure)",
    tags: ['contacts', 'gdpr'],
    params: idParams,
    response: {
      status: 200,
      schema: z.object({ erasedAt: z.string(), activities: z.number(), auditEntries: z.number() }),
    },
    handler: ({ ctx, params }) => eraseContact(ctx, params.id),
  }),
];
