import { z } from 'zod';
import { currencyCode } from '../../platform/http/index.js';
import { leadSchema } from './lead-fields.js';

/** The choice of contact and company, shared by the conversion body and the preview's query. */
const choiceFields = {
  contactId: z
    .uuid()
    .optional()
    .describe('Convert into this existing contact instead of matching by email'),
  companyId: z
    .uuid()
    .optional()
    .describe('Link this existing company instead of matching by domain or name'),
};

const BOTH = 'cannot be given together with';

/** contactId and newContact (companyId and newCompany) contradict each other: 400 naming the flag. */
function refuseBoth(
  v: { contactId?: string; newContact?: boolean; companyId?: string; newCompany?: boolean },
  ctx: z.RefinementCtx,
): void {
  if (v.contactId && v.newContact)
    ctx.addIssue({ code: 'custom', path: ['newContact'], message: `${BOTH} contactId` });
  if (v.companyId && v.newCompany)
    ctx.addIssue({ code: 'custom', path: ['newCompany'], message: `${BOTH} companyId` });
}

/** The body of POST /leads/{id}/convert. */
export const convertBody = z
  .object({
    ...choiceFields,
    newContact: z
      .boolean()
      .optional()
      .describe('Create a new contact even when one has the lead’s email'),
    newCompany: z
      .boolean()
      .optional()
      .describe('Create a new company even when one has the email’s domain or the company name'),
    createDeal: z.boolean().optional(),
    deal: z
      .object({
        name: z.string().trim().max(200).min(1, 'is required').optional(),
        amount: z.number().int('must be in minor units (cents)').min(0).optional(),
        currency: currencyCode.optional(),
        expectedCloseDate: z.iso.date('must be a date like 2026-12-31').optional(),
        pipelineId: z.uuid().optional().describe('Defaults to the default pipeline'),
        stageId: z
          .uuid()
          .optional()
          .describe('A stage of the pipeline; defaults to its first open stage'),
        ownerId: z.uuid().nullable().optional().describe('Defaults to the lead’s owner'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    refuseBoth(v, ctx);
    if (v.deal && !v.createDeal)
      ctx.addIssue({
        code: 'custom',
        path: ['createDeal'],
        message: 'must be true when deal is given',
      });
  });

export const conversionSchema = z
  .object({
    lead: leadSchema,
    contact: z.object({ id: z.uuid(), created: z.boolean() }),
    company: z.object({ id: z.uuid(), created: z.boolean() }).nullable(),
    deal: z.object({ id: z.uuid() }).nullable(),
  })
  .meta({ id: 'LeadConversion' });

const flag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

/** The query of GET /leads/{id}/conversion-preview: the same choices the conversion body takes. */
export const previewQuery = z
  .object({
    ...choiceFields,
    newContact: flag.describe('Preview with a new contact even when one has the lead’s email'),
    newCompany: flag.describe('Preview with a new company even when one matches'),
  })
  .strict()
  .superRefine(refuseBoth);

const contactSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  companyId: z.uuid().nullable(),
});
const companySummary = z.object({ id: z.uuid(), name: z.string(), domain: z.string().nullable() });
const named = z.object({ id: z.uuid(), name: z.string() });

export const conversionPreviewSchema = z
  .object({
    contact: z.object({
      match: z
        .enum(['email', 'chosen', 'new', 'none'])
        .describe('none: the lead names no person, so a contact must be chosen'),
      contact: contactSummary.nullable(),
      candidates: z.array(contactSummary).describe('Up to 5 other contacts with a similar name'),
    }),
    company: z.object({
      match: z.enum(['domain', 'name', 'chosen', 'new', 'none']),
      company: companySummary.nullable(),
      candidates: z.array(companySummary).describe('Up to 5 other companies with a similar name'),
    }),
    deal: z.object({
      name: z.string(),
      currency: z.string(),
      ownerId: z.uuid().nullable(),
      pipeline: named.nullable().describe('The default pipeline; null when there is none'),
      stage: named.nullable().describe('Its first open stage'),
    }),
  })
  .meta({ id: 'LeadConversionPreview' });
