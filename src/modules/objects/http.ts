import { z } from 'zod';
import { route } from '../../platform/http/index.js';
import { customFieldCreateBody } from '../records/index.js';
import { describeObjects } from './describe.js';
import { defineObject, describeObject, removeObject, reviseObject } from './define.js';

const FIELD_KINDS = [
  'text',
  'long_text',
  'email',
  'phone',
  'url',
  'number',
  'money',
  'boolean',
  'date',
  'datetime',
  'enum',
  'tags',
  'relation',
  'json',
] as const;

const fieldSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    kind: z.enum(FIELD_KINDS),
    required: z.boolean(),
    editable: z.boolean(),
    filterable: z.boolean(),
    sortable: z.boolean(),
    values: z.array(z.string()).optional(),
    relation: z.string().optional(),
    maxLength: z.number().int().optional(),
    custom: z.boolean().describe("Kept under the record's customFields (filter as custom.<key>)"),
    definitionId: z
      .uuid()
      .optional()
      .describe("An admin's field: the custom field to PATCH /api/v1/custom-fields/{id}"),
    multiple: z.boolean().optional().describe('A relation holding a list of ids (many-to-many)'),
  })
  .meta({ id: 'ObjectField' });

const objectSchema = z
  .object({
    key: z.string(),
    resource: z.string(),
    labels: z.object({ singular: z.string(), plural: z.string() }),
    titleField: z.string(),
    capabilities: z.object({
      trash: z.boolean(),
      merge: z.boolean(),
      import: z.boolean(),
      export: z.boolean(),
      customFields: z.boolean(),
      workflows: z.boolean(),
      timeline: z.boolean(),
    }),
    fields: z.array(fieldSchema),
    custom: z.boolean().describe('Defined by an admin, stored as data'),
    icon: z.string().nullable(),
    permission: z
      .string()
      .describe("The permission resource guarding its records: '<permission>:read' and so on"),
    bulk: z
      .object({
        fields: z.array(z.string()).describe('The fields a bulk `update` may set'),
        ownerField: z.enum(['ownerId', 'assigneeId']).describe('The field a bulk `assign` sets'),
        tags: z.boolean().describe('Whether `add_tag` and `remove_tag` apply'),
      })
      .nullable()
      .describe(
        'What POST /api/v1/{resource}/bulk may do; null when the object takes no bulk actions',
      ),
    personalData: z
      .object({
        fields: z.array(z.string()).describe('The field keys that hold personal data'),
      })
      .nullable()
      .describe(
        'Its personal data: GET /api/v1/{resource}/{id}/personal-data exports it, POST …/erase blanks it; null when it holds none',
      ),
    merge: z
      .object({
        fields: z
          .array(z.string())
          .describe('The fields whose winning value `fields` of the merge body may pick'),
      })
      .nullable()
      .optional()
      .describe(
        'POST /api/v1/{resource}/{id}/merge merges duplicates into the record; null when the object cannot be merged (always answered; optional for clients written before it)',
      ),
    personalName: z
      .boolean()
      .optional()
      .describe(
        "A custom object's: its records' name is personal data (then listed in personalData.fields, and erasure replaces it with a placeholder)",
      ),
  })
  .meta({ id: 'ObjectDescription' });

const labels = z
  .object({
    singular: z.string().trim().min(1).max(60),
    plural: z.string().trim().min(1).max(60),
  })
  .strict();
const personalName = z
  .boolean()
  .describe(
    "The records' name is personal data (a person's name): GDPR export covers it, erasure replaces it with a placeholder",
  );
const keyParams = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be an object key'),
});

const defineBody = z
  .object({
    key: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{1,39}$/,
        'must be 2–40 lower-case letters, digits or _, starting with a letter',
      ),
    labels,
    resource: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be lower-case letters, digits and -')
      .optional()
      .describe('Its REST collection, /api/v1/{resource}; by default the plural in kebab case'),
    icon: z.string().max(40).nullable().optional(),
    personalName: personalName.optional(),
    fields: z
      .array(customFieldCreateBody.omit({ objectType: true }))
      .max(200)
      .optional(),
  })
  .strict();

const reviseBody = z
  .object({
    labels: labels.optional(),
    icon: z.string().max(40).nullable().optional(),
    personalName: personalName.optional(),
  })
  .strict();

export const objectRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/objects',
    permission: 'authenticated',
    summary:
      'Every record type you may read, with its fields (custom ones included) and what it supports',
    tags: ['objects'],
    response: { status: 200, schema: z.object({ data: z.array(objectSchema) }) },
    handler: async ({ ctx }) => ({ data: await describeObjects(ctx) }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/objects/:key',
    permission: 'authenticated',
    summary: 'One record type with its fields',
    tags: ['objects'],
    params: keyParams,
    response: { status: 200, schema: objectSchema },
    handler: ({ ctx, params }) => describeObject(ctx, params.key),
  }),
  route({
    method: 'POST',
    path: '/api/v1/objects',
    permission: 'settings:update',
    summary: 'Define a custom object, with its fields (relations to any object included)',
    tags: ['objects'],
    body: defineBody,
    response: { status: 201, schema: objectSchema },
    handler: ({ ctx, body }) => defineObject(ctx, body),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/objects/:key',
    permission: 'settings:update',
    summary:
      "Rename a custom object, change its icon or whether its records' name is personal data (fields: /api/v1/custom-fields)",
    tags: ['objects'],
    params: keyParams,
    body: reviseBody,
    response: { status: 200, schema: objectSchema },
    handler: ({ ctx, params, body }) => reviseObject(ctx, params.key, body),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/objects/:key',
    permission: 'settings:update',
    summary: 'Remove a custom object that holds no records (409 otherwise)',
    tags: ['objects'],
    params: keyParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => removeObject(ctx, params.key),
  }),
];
