import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineFields, withBodyRules } from './fields.js';
import { describeFields, type ObjectDefinition } from './index.js';
import { CUSTOM_FIELDS_FIELD, RECORD_ID_FIELD, RECORD_STAMP_FIELDS } from './record-fields.js';

const STAGES = ['new', 'won', 'lost'] as const;

const PROJECT = defineFields('ProjectForTest', {
  id: RECORD_ID_FIELD,
  title: {
    kind: 'text',
    input: z.string().trim().min(1).max(120),
    required: true,
    list: { column: 'title', notNull: true },
  },
  stage: {
    kind: 'enum',
    values: STAGES,
    input: z.enum(STAGES),
    list: { column: 'stage', ordered: true },
  },
  phone: {
    kind: 'phone',
    nullable: true,
    input: z
      .string()
      .max(40)
      .transform((v) => v.replace(/\s/g, ''))
      .nullable(),
  },
  managerId: {
    kind: 'relation',
    relation: 'user',
    label: 'Manager',
    nullable: true,
    input: z.uuid().nullable(),
    inputDescription: 'Who runs it',
    list: { column: 'manager_id' },
  },
  budget: {
    kind: 'json',
    nullable: true,
    output: z.object({ amount: z.number() }),
    input: z.object({ amount: z.number().int() }).nullable(),
    list: { column: 'budget_amount', type: 'number' },
  },
  closedAt: {
    kind: 'datetime',
    nullable: true,
    description: 'Set by the system',
    list: { column: 'closed_at', sortable: false },
  },
  customFields: CUSTOM_FIELDS_FIELD,
  ...RECORD_STAMP_FIELDS,
});

describe('defineFields', () => {
  it('requires the required fields on create only, and takes no read-only or unknown field', () => {
    expect(PROJECT.createBody.safeParse({}).success).toBe(false);
    expect(PROJECT.createBody.parse({ title: ' Roof ' })).toEqual({ title: 'Roof' });
    expect(PROJECT.updateBody.parse({})).toEqual({});
    expect(PROJECT.updateBody.parse({ phone: '+1 555 0100' })).toEqual({ phone: '+15550100' });
    for (const body of [PROJECT.createBody, PROJECT.updateBody]) {
      expect(body.safeParse({ title: 'x', closedAt: '2026-01-01' }).success).toBe(false);
      expect(body.safeParse({ title: 'x', version: 2 }).success).toBe(false);
    }
    expect(Object.keys(PROJECT.updateBody.shape)).toEqual([
      'title',
      'stage',
      'phone',
      'managerId',
      'budget',
      'customFields',
    ]);
  });

  it('answers every field in the response, in declared order, under its OpenAPI id', () => {
    type Json = {
      properties: Record<string, { description?: string; enum?: unknown[] }>;
      required: string[];
    };
    // A schema with an id comes back as a reference to its definition, as OpenAPI's components.
    const document = z.toJSONSchema(PROJECT.schema) as {
      $ref: string;
      $defs: Record<string, Json>;
    };
    expect(document.$ref).toBe('#/$defs/ProjectForTest');
    const json = document.$defs.ProjectForTest as Json;
    expect(Object.keys(json.properties)).toEqual([
      'id',
      'title',
      'stage',
      'phone',
      'managerId',
      'budget',
      'closedAt',
      'customFields',
      'version',
      'createdAt',
      'updatedAt',
      'deletedAt',
    ]);
    expect(json.required).toHaveLength(12);
    expect(json.properties.stage?.enum).toEqual(['new', 'won', 'lost']);
    expect(json.properties.closedAt?.description).toBe('Set by the system');
    expect(PROJECT.schema.shape.closedAt.safeParse(null).success).toBe(true);
    expect(PROJECT.schema.shape.createdAt.safeParse(null).success).toBe(false);
    const update = z.toJSONSchema(PROJECT.updateBody, { io: 'input' }) as Json;
    expect(update.properties.managerId?.description).toBe('Who runs it');
  });

  it("gives the list each listed field's column, with the kind's type unless it says otherwise", () => {
    expect(PROJECT.listFields).toEqual({
      title: { column: 'title', type: 'text', notNull: true },
      stage: { column: 'stage', type: 'enum', values: STAGES, ordered: true },
      managerId: { column: 'manager_id', type: 'uuid' },
      budget: { column: 'budget_amount', type: 'number' },
      closedAt: { column: 'closed_at', type: 'datetime', sortable: false },
      createdAt: { column: 'created_at', type: 'datetime', notNull: true },
      updatedAt: { column: 'updated_at', type: 'datetime', notNull: true },
    });
    expect(PROJECT.relations).toEqual({ managerId: 'user' });
    expect(PROJECT.fieldLabels).toEqual({ managerId: 'Manager' });
  });

  it('describes each field as describeFields would work it out from the schemas', () => {
    const def: ObjectDefinition = {
      key: 'project',
      resource: 'projects',
      labels: { singular: 'Project', plural: 'Projects' },
      titleField: 'title',
      capabilities: {
        trash: true,
        merge: false,
        import: false,
        export: false,
        customFields: true,
        workflows: false,
        timeline: false,
      },
      ...PROJECT,
    };
    const { described: declared, ...fromSchemas } = def;
    const described = PROJECT.described;
    expect(declared).toBe(described);
    expect(describeFields(def)).toEqual(described);
    expect(describeFields(fromSchemas)).toEqual(described);
    expect(described.find((f) => f.key === 'phone')).toMatchObject({
      kind: 'phone',
      maxLength: 40,
      editable: true,
      filterable: false,
    });
    expect(described.find((f) => f.key === 'closedAt')).toMatchObject({
      editable: false,
      filterable: true,
      sortable: false,
    });
    expect(described.some((f) => f.key === 'customFields')).toBe(false);
  });

  it('refuses a json field without its output, an enum without values, required without input', () => {
    expect(() => defineFields('Broken', { data: { kind: 'json' } })).toThrow(/data/);
    expect(() => defineFields('Broken', { stage: { kind: 'enum' } })).toThrow(/stage/);
    expect(() => defineFields('Broken', { name: { kind: 'text', required: true } })).toThrow(
      /name/,
    );
  });

  it('describes the values a body may set, and the length of a format such as an email', () => {
    const fields = defineFields('InvoiceForTest', {
      state: {
        kind: 'enum',
        values: ['draft', 'sent', 'paid'],
        input: z.enum(['draft', 'sent']).optional(),
        list: { column: 'state' },
      },
      billTo: { kind: 'email', nullable: true, input: z.email().max(254).nullable() },
    });
    const [state, billTo] = fields.described;
    expect(state?.values).toEqual(['draft', 'sent']);
    expect(fields.listFields.state?.values).toEqual(['draft', 'sent', 'paid']);
    expect(fields.schema.shape.state.parse('paid')).toBe('paid');
    expect(billTo?.maxLength).toBe(254);
  });

  it('applies body rules to the derived bodies, keeping everything else', () => {
    const ruled = withBodyRules(PROJECT, {
      create: (body) =>
        body.superRefine((v, ctx) => {
          if (v.stage === 'won' && !v.managerId)
            ctx.addIssue({ code: 'custom', path: ['managerId'], message: 'who won it?' });
        }),
      update: (body) => body.transform(({ phone, ...rest }) => ({ ...rest, phones: [phone] })),
    });
    expect(ruled.createBody.safeParse({ title: 'Roof', stage: 'won' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['managerId'], message: 'who won it?' }),
    ]);
    expect(ruled.updateBody.parse({ phone: '+1 555' })).toEqual({ phones: ['+1555'] });
    expect(ruled.described).toBe(PROJECT.described);
    expect(ruled.listFields).toBe(PROJECT.listFields);
  });
});
