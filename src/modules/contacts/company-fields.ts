import { z } from 'zod';
import { webUrl } from '../../platform/http/index.js';
import {
  CUSTOM_FIELDS_FIELD,
  RECORD_ID_FIELD,
  RECORD_STAMP_FIELDS,
  defineFields,
} from '../../platform/objects/index.js';
import { address, money, nullableText, phoneNumber, text } from '../records/index.js';

/**
 * A company's fields, declared once: its API shape, create and update bodies, list filters and
 * sorts, and what `GET /api/v1/objects` says of each (custom fields are added per organization).
 * The revenue is money in minor units; its list filters and sorts on the amount.
 */
export const COMPANY_OBJECT_FIELDS = defineFields('Company', {
  id: RECORD_ID_FIELD,
  name: {
    kind: 'text',
    input: text().min(1, 'is required'),
    required: true,
    list: { column: 'name', notNull: true },
  },
  domain: {
    kind: 'text',
    nullable: true,
    input: text(253).nullable(),
    list: { column: 'domain' },
  },
  industry: {
    kind: 'text',
    nullable: true,
    input: nullableText(100),
    list: { column: 'industry' },
  },
  size: { kind: 'text', nullable: true, input: nullableText(40), list: { column: 'size' } },
  annualRevenue: {
    // Described as json, as it always was: clients edit it as its amount and currency.
    kind: 'json',
    nullable: true,
    output: z.object({ amount: z.number(), currency: z.string() }),
    input: money.nullable(),
    list: { column: 'annual_revenue', type: 'number' },
  },
  website: { kind: 'url', nullable: true, input: webUrl({ max: 500 }).nullable() },
  phone: { kind: 'phone', nullable: true, input: phoneNumber.nullable() },
  address: {
    kind: 'json',
    nullable: true,
    output: z.record(z.string(), z.string()),
    input: address,
  },
  ownerId: {
    kind: 'relation',
    relation: 'user',
    nullable: true,
    input: z.uuid().nullable(),
    list: { column: 'owner_id' },
  },
  parentId: {
    kind: 'relation',
    relation: 'company',
    label: 'Parent company',
    nullable: true,
    input: z.uuid().nullable(),
    list: { column: 'parent_id' },
  },
  customFields: CUSTOM_FIELDS_FIELD,
  ...RECORD_STAMP_FIELDS,
});

/** A company as the API presents it (`Company` in the OpenAPI document). */
export const companySchema = COMPANY_OBJECT_FIELDS.schema;
/** The body of POST /companies: a name at least. */
export const companyCreateBody = COMPANY_OBJECT_FIELDS.createBody;
/** The body of PATCH /companies/{id}. */
export const companyBody = COMPANY_OBJECT_FIELDS.updateBody;
/** The fields a company list filters and sorts on (custom fields are added per organization). */
export const COMPANY_FIELDS = COMPANY_OBJECT_FIELDS.listFields;
