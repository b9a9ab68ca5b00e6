import { z } from 'zod';
import { normalizePhone } from '../records/index.js';
import { LEAD_STATUSES } from './schema.js';

const text = (max = 200) => z.string().trim().max(max);
const nullableText = (max = 200) => text(max).nullable();

/** A phone number as typed, stored in E.164 (the records normalizer); 400 when it cannot be one. */
const phoneNumber = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const e164 = normalizePhone(v);
    if (!e164)
      ctx.addIssue({ code: 'custom', message: 'must be a valid phone number (E.164 or national)' });
    return e164 ?? v;
  });

const customFields = z
  .record(z.string().max(63), z.unknown())
  .refine((o) => Object.keys(o).length <= 200, 'at most 200 custom fields');

/** Statuses a client sets; `converted` is only ever set by POST /leads/{id}/convert. */
export const SETTABLE_LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified'] as const;
const settableStatus = z.enum(SETTABLE_LEAD_STATUSES, {
  error:
    'must be one of new, working, qualified, disqualified (converting is POST /leads/{id}/convert)',
});

/** The person and company as captured: what a web form can fill. */
export const capturedLeadFields = {
  firstName: nullableText(100).optional(),
  lastName: nullableText(100).optional(),
  email: z.email('must be a valid email address').max(254).nullable().optional(),
  phone: phoneNumber.nullable().optional(),
  companyName: nullableText().optional(),
  title: nullableText().optional(),
  country: nullableText(60).optional(),
  companySize: nullableText(40).optional(),
  notes: z.string().max(10_000).nullable().optional(),
};
export type CapturedLeadField = keyof typeof capturedLeadFields;
export const CAPTURED_LEAD_FIELDS = Object.keys(capturedLeadFields) as CapturedLeadField[];

/** The captured fields alone, as a web form submission is checked. */
export const capturedLeadSchema = z.object(capturedLeadFields).strict();

const leadFields = {
  ...capturedLeadFields,
  source: nullableText(100).optional(),
  status: settableStatus.optional(),
  disqualificationReason: nullableText(500).optional(),
  ownerId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  tags: z.array(text(50).min(1)).max(50).optional(),
  customFields: customFields.optional(),
};

const REASON_REQUIRED = 'is required when the status is disqualified';

/** The body of PATCH /leads/{id} (a stored reason satisfies a disqualification; the service checks). */
export const leadBody = z
  .object(leadFields)
  .strict()
  .superRefine((v, ctx) => {
    if (v.status === 'disqualified' && v.disqualificationReason === null)
      ctx.addIssue({ code: 'custom', path: ['disqualificationReason'], message: REASON_REQUIRED });
  });

/** The body of POST /leads: someone or some company to talk to, and a reason when disqualified. */
export const leadCreateBody = z
  .object(leadFields)
  .strict()
  .superRefine((v, ctx) => {
    if (!(v.firstName || v.lastName || v.email || v.companyName)) {
      ctx.addIssue({
        code: 'custom',
        path: ['firstName'],
        message: 'a lead needs a first name, a last name, an email or a company name',
      });
    }
    if (v.status === 'disqualified' && !v.disqualificationReason)
      ctx.addIssue({ code: 'custom', path: ['disqualificationReason'], message: REASON_REQUIRED });
  });

export const leadSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    companyName: z.string().nullable(),
    title: z.string().nullable(),
    country: z.string().nullable(),
    companySize: z.string().nullable(),
    notes: z.string().nullable(),
    source: z.string().nullable(),
    status: z.enum(LEAD_STATUSES),
    disqualificationReason: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    score: z.number().nullable().describe('Read-only: set by lead scoring'),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    formId: z.uuid().nullable(),
    convertedAt: z.string().nullable(),
    convertedContactId: z.uuid().nullable(),
    convertedCompanyId: z.uuid().nullable(),
    convertedDealId: z.uuid().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .meta({ id: 'Lead' });
