import { z } from 'zod';
import { route } from '../../platform/http/index.js';
import { describeObjects } from './describe.js';

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
    custom: z.boolean(),
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
  })
  .meta({ id: 'ObjectDescription' });

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
];
