import { z } from 'zod';
import {
  CUSTOM_FIELDS_FIELD,
  RECORD_ID_FIELD,
  RECORD_STAMP_FIELDS,
  defineFields,
  withBodyRules,
} from '../../platform/objects/index.js';
import { normalizePhone } from '../records/index.js';
import { LEAD_STATUSES } from './schema.js';

const text = (max = 200) => z.string().trim().max(max);
const nullableText = (max = 200) => text(max).nullable();
const link = z.uuid().nullable();

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

/** Statuses a client sets; `converted` is only ever set by POST /leads/{id}/convert. */
export const SETTABLE_LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified'] as const;
const settableStatus = z.enum(SETTABLE_LEAD_STATUSES, {
  error:
    'must be one of new, working, qualified, disqualified (converting is POST /leads/{id}/convert)',
});

/**
 * A lead's fields, declared once: its API shape, create and update bodies, list filters and sorts,
 * and what `GET /api/v1/objects` says of each (custom fields are added per organization). Its
 * status answers and filters on every status, `converted` included, but a body only sets the
 * others, so that is what the field describes as its values. The conversion's links are read-only.
 */
const LEAD = defineFields('Lead', {
  id: RECORD_ID_FIELD,
  name: { kind: 'text' },
  firstName: {
    kind: 'text',
    nullable: true,
    input: nullableText(100),
    list: { column: 'first_name' },
  },
  lastName: {
    kind: 'text',
    nullable: true,
    input: nullableText(100),
    list: { column: 'last_name' },
  },
  email: {
    kind: 'email',
    nullable: true,
    input: z.email('must be a valid email address').max(254).nullable(),
    list: { column: 'email' },
  },
  phone: {
    kind: 'phone',
    nullable: true,
    input: phoneNumber.nullable(),
    list: { column: 'phone' },
  },
  companyName: {
    kind: 'text',
    nullable: true,
    input: nullableText(),
    list: { column: 'company_name' },
  },
  title: { kind: 'text', nullable: true, input: nullableText(), list: { column: 'title' } },
  country: { kind: 'text', nullable: true, input: nullableText(60), list: { column: 'country' } },
  companySize: {
    kind: 'text',
    nullable: true,
    input: nullableText(40),
    list: { column: 'company_size' },
  },
  notes: { kind: 'long_text', nullable: true, input: z.string().max(10_000).nullable() },
  source: { kind: 'text', nullable: true, input: nullableText(100), list: { column: 'source' } },
  status: {
    kind: 'enum',
    values: LEAD_STATUSES,
    input: settableStatus,
    list: { column: 'status', notNull: true },
  },
  disqualificationReason: { kind: 'text', nullable: true, input: nullableText(500) },
  ownerId: {
    kind: 'relation',
    relation: 'user',
    nullable: true,
    input: link,
    list: { column: 'owner_id' },
  },
  teamId: {
    kind: 'relation',
    relation: 'team',
    nullable: true,
    input: link,
    list: { column: 'team_id' },
  },
  score: {
    // Scores are not whole numbers, so not the number kind's integer.
    kind: 'number',
    nullable: true,
    output: z.number(),
    description: 'Read-only: set by lead scoring',
    list: { column: 'score' },
  },
  tags: {
    kind: 'tags',
    input: z.array(text(50).min(1)).max(50),
    list: { column: 'tags', sortable: false },
  },
  customFields: CUSTOM_FIELDS_FIELD,
  formId: {
    kind: 'relation',
    relation: 'form',
    label: 'Web form',
    nullable: true,
    list: { column: 'form_id' },
  },
  convertedAt: { kind: 'datetime', nullable: true, list: { column: 'converted_at' } },
  convertedContactId: {
    kind: 'relation',
    relation: 'contact',
    label: 'Converted to contact',
    nullable: true,
  },
  convertedCompanyId: {
    kind: 'relation',
    relation: 'company',
    label: 'Converted to company',
    nullable: true,
  },
  convertedDealId: {
    kind: 'relation',
    relation: 'deal',
    label: 'Converted to deal',
    nullable: true,
  },
  ...RECORD_STAMP_FIELDS,
});

/** The person and company as captured: what a web form can fill, checked as its submission is. */
export const capturedLeadSchema = LEAD.updateBody.pick({
  firstName: true,
  lastName: true,
  email: true,
  phone: true,
  companyName: true,
  title: true,
  country: true,
  companySize: true,
  notes: true,
});
export type CapturedLeadField = keyof typeof capturedLeadSchema.shape;
export const CAPTURED_LEAD_FIELDS: CapturedLeadField[] = capturedLeadSchema.keyof().options;

const REASON_REQUIRED = 'is required when the status is disqualified';

/**
 * The lead's field list with its bodies' cross-field rules: a new lead names someone or some
 * company, and a disqualification gives its reason (on update a stored reason satisfies it, which
 * the service checks, so only clearing it there is refused here).
 */
export const LEAD_OBJECT_FIELDS = withBodyRules(LEAD, {
  create: (body) =>
    body.superRefine((v, ctx) => {
      if (!(v.firstName || v.lastName || v.email || v.companyName)) {
        ctx.addIssue({
          code: 'custom',
          path: ['firstName'],
          message: 'a lead needs a first name, a last name, an email or a company name',
        });
      }
      if (v.status === 'disqualified' && !v.disqualificationReason)
        ctx.addIssue({
          code: 'custom',
          path: ['disqualificationReason'],
          message: REASON_REQUIRED,
        });
    }),
  update: (body) =>
    body.superRefine((v, ctx) => {
      if (v.status === 'disqualified' && v.disqualificationReason === null)
        ctx.addIssue({
          code: 'custom',
          path: ['disqualificationReason'],
          message: REASON_REQUIRED,
        });
    }),
});

/** A lead as the API presents it (`Lead` in the OpenAPI document). */
export const leadSchema = LEAD_OBJECT_FIELDS.schema;
/** The body of POST /leads. */
export const leadCreateBody = LEAD_OBJECT_FIELDS.createBody;
/** The body of PATCH /leads/{id}. */
export const leadBody = LEAD_OBJECT_FIELDS.updateBody;
/** The fields a lead list filters and sorts on (custom fields are added per organization). */
export const LEAD_FIELDS = LEAD_OBJECT_FIELDS.listFields;
