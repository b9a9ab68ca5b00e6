import { z } from 'zod';
import { webUrl } from '../../platform/http/index.js';
import {
  CUSTOM_FIELDS_FIELD,
  RECORD_ID_FIELD,
  RECORD_STAMP_FIELDS,
  defineFields,
  withBodyRules,
} from '../../platform/objects/index.js';
import { address, nullableText, phoneNumber, text } from '../records/index.js';

/** Where a contact stands with the organization. */
export const CONTACT_STATUSES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE'] as const;

/** The networks a contact's `socialProfiles` may name. */
export const SOCIAL_NETWORKS = [
  'linkedin',
  'twitter',
  'x',
  'facebook',
  'github',
  'instagram',
  'website',
] as const;

const emailAddress = z.email('must be a valid email address').max(254);
const entryLabel = text(40).optional();

/**
 * A contact's fields, declared once: its API shape, create and update bodies, list filters and
 * sorts, and what `GET /api/v1/objects` says of each (custom fields are added per organization).
 * `email` and `phone` answer the primary entries of `emails` and `phones`; a body may send either
 * one as a shorthand for a list holding just it.
 */
const CONTACT = defineFields('Contact', {
  id: RECORD_ID_FIELD,
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
  name: { kind: 'text' },
  email: {
    kind: 'email',
    nullable: true,
    input: emailAddress.nullable(),
    list: { column: 'email' },
  },
  emails: {
    kind: 'json',
    label: 'Email addresses',
    output: z.array(
      z.object({ email: z.string(), primary: z.boolean(), label: z.string().optional() }),
    ),
    input: z
      .array(
        z.object({ email: emailAddress, primary: z.boolean().default(false), label: entryLabel }),
      )
      .max(20),
  },
  phone: {
    kind: 'phone',
    nullable: true,
    input: phoneNumber.nullable(),
    list: { column: 'phone' },
  },
  phones: {
    kind: 'json',
    label: 'Phone numbers',
    output: z.array(
      z.object({ number: z.string(), primary: z.boolean(), label: z.string().optional() }),
    ),
    input: z
      .array(
        z.object({ number: phoneNumber, primary: z.boolean().default(false), label: entryLabel }),
      )
      .max(20),
  },
  title: { kind: 'text', nullable: true, input: nullableText(), list: { column: 'title' } },
  companyId: {
    kind: 'relation',
    relation: 'company',
    nullable: true,
    input: z.uuid().nullable(),
    list: { column: 'company_id' },
  },
  ownerId: {
    kind: 'relation',
    relation: 'user',
    nullable: true,
    input: z.uuid().nullable(),
    list: { column: 'owner_id' },
  },
  status: {
    kind: 'enum',
    values: CONTACT_STATUSES,
    input: z.enum(CONTACT_STATUSES),
    list: { column: 'status', notNull: true },
  },
  source: { kind: 'text', nullable: true, input: nullableText(100), list: { column: 'source' } },
  tags: {
    kind: 'tags',
    input: z.array(text(50).min(1)).max(50),
    list: { column: 'tags', sortable: false },
  },
  address: {
    kind: 'json',
    nullable: true,
    output: z.record(z.string(), z.string()),
    input: address,
  },
  socialProfiles: {
    kind: 'json',
    output: z.record(z.string(), z.string()),
    // Any subset of the networks; each value a clickable http(s) link.
    input: z.partialRecord(z.enum(SOCIAL_NETWORKS), webUrl({ max: 500 })),
  },
  emailConsent: {
    kind: 'json',
    output: z.object({
      status: z.string(),
      at: z.string().optional(),
      method: z.string().optional(),
    }),
    input: z.object({
      status: z.enum(['opted_in', 'opted_out', 'unknown']),
      at: z.iso.datetime({ offset: true }).optional(),
      method: text(100).optional(),
    }),
  },
  leadScore: {
    // Scores are not whole numbers, so not the number kind's integer.
    kind: 'number',
    label: 'Lead score',
    nullable: true,
    output: z.number(),
    list: { column: 'lead_score' },
  },
  lastContactedAt: { kind: 'datetime', nullable: true, list: { column: 'last_contacted_at' } },
  customFields: CUSTOM_FIELDS_FIELD,
  ...RECORD_STAMP_FIELDS,
});

/** Refuses a shorthand sent beside its list, then turns `email`/`phone` into one-entry lists. */
const reshaped = (body: typeof CONTACT.updateBody) =>
  body
    .superRefine((v, ctx) => {
      if (v.email !== undefined && v.emails !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message: 'send email or emails, not both',
        });
      if (v.phone !== undefined && v.phones !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['phone'],
          message: 'send phone or phones, not both',
        });
    })
    .transform(({ email, phone, ...rest }) => ({
      ...rest,
      ...(email !== undefined ? { emails: email ? [{ email, primary: true }] : [] } : {}),
      ...(phone !== undefined ? { phones: phone ? [{ number: phone, primary: true }] : [] } : {}),
    }));

/** The contact's field list with its bodies' rules; a new contact is someone by name or email. */
export const CONTACT_OBJECT_FIELDS = withBodyRules(CONTACT, {
  create: (body) =>
    reshaped(body).refine(
      (v) => Boolean(v.firstName || v.lastName || (v.emails && v.emails.length > 0)),
      { message: 'a contact needs a first name, a last name or an email', path: ['firstName'] },
    ),
  update: reshaped,
});

/** A contact as the API presents it (`Contact` in the OpenAPI document). */
export const contactSchema = CONTACT_OBJECT_FIELDS.schema;
/** The body of POST /contacts: a first name, a last name or an email. */
export const contactCreateBody = CONTACT_OBJECT_FIELDS.createBody;
/** The body of PATCH /contacts/{id}; `email`/`phone` are shorthands for one primary entry. */
export const contactBody = CONTACT_OBJECT_FIELDS.updateBody;
/** The fields a contact list filters and sorts on (custom fields are added per organization). */
export const CONTACT_FIELDS = CONTACT_OBJECT_FIELDS.listFields;
