import { z } from 'zod';
import { currencyCode } from '../../platform/http/index.js';
import {
  CUSTOM_FIELDS_FIELD,
  RECORD_ID_FIELD,
  RECORD_STAMP_FIELDS,
  defineFields,
} from '../../platform/objects/index.js';
import { isoDate, minorUnits, STAGE_KINDS, stageKind, text } from './field-types.js';

const link = z.uuid().nullable();

/** A line of a deal as a body sends it: a product (its price by default) or a named line. */
const lineItemBody = z
  .object({
    productId: z.uuid().nullable().optional(),
    name: text(200).min(1).optional(),
    quantity: z.number().positive().max(1e9),
    unitPrice: minorUnits.optional(),
    discountPercent: z.number().min(0).max(100).optional(),
  })
  .strict();

/** A line of a deal as the API answers it, with its total worked out. */
const lineItem = z.object({
  id: z.uuid(),
  productId: z.uuid().nullable(),
  name: z.string(),
  quantity: z.number(),
  unitPrice: z.number(),
  discountPercent: z.number(),
  total: z.number(),
});

/**
 * A deal's fields, declared once: its API shape, create and update bodies, list filters and sorts,
 * and what `GET /api/v1/objects` says of each (custom fields are added per organization). The
 * amount is money in minor units. The stage, status, effective probability, stage entry and
 * rotting are worked out from the stage and answered read-only; `probability` is edited as the
 * deal's own (null: the stage's), answered as the one in effect.
 */
export const DEAL_OBJECT_FIELDS = defineFields('Deal', {
  id: RECORD_ID_FIELD,
  name: {
    kind: 'text',
    input: text(200).min(1, 'is required'),
    required: true,
    list: { column: 'name', notNull: true },
  },
  amount: { kind: 'money', input: minorUnits, list: { column: 'amount', notNull: true } },
  currency: { kind: 'text', input: currencyCode, list: { column: 'currency', notNull: true } },
  pipelineId: {
    kind: 'relation',
    relation: 'pipeline',
    input: z.uuid(),
    list: { column: 'pipeline_id', notNull: true },
  },
  stageId: {
    kind: 'relation',
    relation: 'stage',
    input: z.uuid(),
    list: { column: 'stage_id', notNull: true },
  },
  stage: { kind: 'json', output: z.object({ name: z.string(), kind: stageKind }) },
  status: { kind: 'enum', values: STAGE_KINDS },
  probability: {
    kind: 'number',
    output: z.number(),
    input: z.number().int().min(0).max(100).nullable(),
  },
  probabilityOverride: { kind: 'number', nullable: true, output: z.number() },
  expectedCloseDate: {
    kind: 'date',
    nullable: true,
    input: isoDate.nullable(),
    list: { column: 'expected_close_date' },
  },
  ownerId: {
    kind: 'relation',
    relation: 'user',
    nullable: true,
    input: link,
    list: { column: 'owner_id' },
  },
  contactId: {
    kind: 'relation',
    relation: 'contact',
    nullable: true,
    input: link,
    list: { column: 'contact_id' },
  },
  companyId: {
    kind: 'relation',
    relation: 'company',
    nullable: true,
    input: link,
    list: { column: 'company_id' },
  },
  leadId: { kind: 'relation', relation: 'lead', nullable: true, input: link },
  contacts: {
    kind: 'json',
    output: z.array(z.object({ contactId: z.uuid(), role: z.string().nullable() })),
    input: z.array(z.object({ contactId: z.uuid(), role: text(80).nullable() }).strict()).max(50),
  },
  lineItems: { kind: 'json', output: z.array(lineItem), input: z.array(lineItemBody).max(200) },
  lostReason: { kind: 'text', nullable: true, input: text(500).nullable() },
  closedAt: { kind: 'datetime', nullable: true, list: { column: 'closed_at' } },
  stageEnteredAt: { kind: 'datetime' },
  rotting: { kind: 'boolean' },
  tags: {
    kind: 'tags',
    input: z.array(text(60).min(1)).max(50),
    list: { column: 'tags', sortable: false },
  },
  customFields: CUSTOM_FIELDS_FIELD,
  ...RECORD_STAMP_FIELDS,
});

/** A deal as the API presents it (`Deal` in the OpenAPI document). */
export const dealSchema = DEAL_OBJECT_FIELDS.schema;
/** The body of POST /deals: a name at least. */
export const dealCreateBody = DEAL_OBJECT_FIELDS.createBody;
/** The body of PATCH /deals/{id}. */
export const dealBody = DEAL_OBJECT_FIELDS.updateBody;
/** The fields a deal list filters and sorts on (custom fields are added per organization). */
export const DEAL_FIELDS = DEAL_OBJECT_FIELDS.listFields;
