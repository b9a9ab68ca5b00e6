import { z } from 'zod';
import { idParams, route } from '../../platform/http/index.js';
import { findCompanyDuplicates, findContactDuplicates } from './duplicates.js';
import { eraseContact, personalData } from './gdpr.js';
import { companySchema } from './company-fields.js';
import { contactSchema } from './contact-fields.js';
import { mergeRecords, undoMerge } from './merge.js';

const mergeBody = z
  .object({
    sourceIds: z.array(z.uuid()).min(1, 'name at least one record to merge').max(10),
    fields: z
      .record(z.string().max(40), z.uuid())
      .optional()
      .describe('field → id of the record whose value the survivor keeps'),
  })
  .strict();

const group = <T extends z.ZodType>(record: T) =>
  z.object({ reason: z.string(), key: z.string(), records: z.array(record) });

export const mergeRoutes = [
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
    method: 'POST',
    path: '/api/v1/contacts/:id/merge',
    permission: 'contacts:update',
    summary: 'Merge contacts into this one (undoable for 30 days)',
    tags: ['contacts'],
    params: idParams,
    body: mergeBody,
    response: { status: 200, schema: z.object({ mergeId: z.uuid(), survivor: contactSchema }) },
    handler: ({ ctx, params, body }) => mergeRecords(ctx, 'contact', params.id, body),
  }),
  route({
    method: 'POST',
    path: '/api/v1/companies/:id/merge',
    permission: 'companies:update',
    summary: 'Merge companies into this one (undoable for 30 days)',
    tags: ['companies'],
    params: idParams,
    body: mergeBody,
    response: { status: 200, schema: z.object({ mergeId: z.uuid(), survivor: companySchema }) },
    handler: ({ ctx, params, body }) => mergeRecords(ctx, 'company', params.id, body),
  }),
  route({
    method: 'POST',
    path: '/api/v1/merges/:id/undo',
    permission: 'authenticated',
    summary: 'Undo a merge: the sources come back with their values and relations',
    tags: ['contacts', 'companies'],
    params: idParams,
    response: {
      status: 200,
      schema: z.object({
        survivor: z.union([contactSchema, companySchema]),
        restoredIds: z.array(z.uuid()),
      }),
    },
    handler: ({ ctx, params }) => undoMerge(ctx, params.id),
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
