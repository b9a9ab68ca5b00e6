import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import {
  describeFields,
  objectRegistry,
  type ObjectDefinition,
} from '../../platform/objects/index.js';

interface Field {
  key: string;
  kind: string;
  required: boolean;
  editable: boolean;
  filterable: boolean;
  sortable: boolean;
  values?: string[];
  relation?: string;
  custom: boolean;
}
interface Described {
  key: string;
  resource: string;
  capabilities: Record<string, boolean>;
  fields: Field[];
}

describe('GET /api/v1/objects', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Objects');
  });
  afterAll(() => t.close());

  const objects = async (u: TestUser) => {
    const res = await client(t.app, u.token).get('/api/v1/objects');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ data: Described[] }>().data;
  };
  const field = (o: Described | undefined, key: string) => o?.fields.find((f) => f.key === key);

  it('describes every built-in object with fields derived from its own schemas and list', async () => {
    const all = await objects(admin);
    expect(all.map((o) => o.key)).toEqual([
      'contact',
      'company',
      'activity',
      'lead',
      'deal',
      'ticket',
    ]);
    const contact = all.find((o) => o.key === 'contact');
    expect(contact?.capabilities).toMatchObject({
      trash: true,
      merge: true,
      import: true,
      customFields: true,
    });
    expect(field(contact, 'firstName')).toMatchObject({
      kind: 'text',
      editable: true,
      filterable: true,
      sortable: true,
      required: false,
    });
    expect(field(contact, 'status')).toMatchObject({
      kind: 'enum',
      values: expect.arrayContaining(['LEAD', 'CUSTOMER']),
    });
    expect(field(contact, 'companyId')).toMatchObject({
      kind: 'relation',
      relation: 'company',
      filterable: true,
    });
    expect(field(contact, 'ownerId')).toMatchObject({ kind: 'relation', relation: 'user' });
    expect(field(contact, 'id')).toMatchObject({ editable: false });
    expect(field(contact, 'createdAt')).toMatchObject({
      kind: 'datetime',
      editable: false,
      sortable: true,
    });
    expect(field(contact, 'tags')).toMatchObject({ kind: 'tags', sortable: false });
    const deal = all.find((o) => o.key === 'deal');
    expect(field(deal, 'name')).toMatchObject({ required: true, editable: true });
    expect(field(deal, 'amount')).toMatchObject({ kind: 'money' });
    expect(field(deal, 'pipelineId')).toMatchObject({ kind: 'relation', relation: 'pipeline' });
    const ticket = all.find((o) => o.key === 'ticket');
    expect(field(ticket, 'subject')).toMatchObject({ required: true, kind: 'text' });
    expect(all.find((o) => o.key === 'activity')?.capabilities.customFields).toBe(false);
  });

  it("adds the organization's custom fields, and only its own", async () => {
    const api = client(t.app, admin.token);
    const created = await api.post('/api/v1/custom-fields', {
      objectType: 'contact',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: { choices: ['gold', 'silver'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const tier = field(
      (await objects(admin)).find((o) => o.key === 'contact'),
      'tier',
    );
    expect(tier).toEqual({
      key: 'tier',
      label: 'Tier',
      kind: 'enum',
      required: false,
      editable: true,
      filterable: true,
      sortable: true,
      values: ['gold', 'silver'],
      custom: true,
      definitionId: created.json<{ id: string }>().id,
    });
    const other = await registerOrganization(t.app, 'ObjectsOther');
    expect(
      field(
        (await objects(other)).find((o) => o.key === 'contact'),
        'tier',
      ),
    ).toBeUndefined();
  });

  it('lists only the objects the user may read', async () => {
    const agent = await addUser(t.app, admin, 'support_agent');
    expect((await objects(agent)).map((o) => o.key)).toEqual([
      'contact',
      'company',
      'activity',
      'ticket',
    ]);
  });

  it('needs a signed-in user', async () => {
    const res = await client(t.app).get('/api/v1/objects');
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
  });
});

describe('the object registry', () => {
  const thing: ObjectDefinition = {
    key: 'thing',
    resource: 'things',
    labels: { singular: 'Thing', plural: 'Things' },
    titleField: 'name',
    schema: z.object({
      id: z.uuid(),
      name: z.string(),
      size: z.number().int(),
      note: z.string().max(5000).nullable(),
      version: z.number(),
    }),
    createBody: z.object({ name: z.string().min(1).max(80), size: z.number().int().optional() }),
    updateBody: z.object({
      name: z.string().min(1).max(80).optional(),
      note: z.string().max(5000).nullable().optional(),
    }),
    listFields: {
      name: { column: 'name', type: 'text' },
      size: { column: 'size', type: 'number', sortable: false },
    },
    relations: {},
    capabilities: {
      trash: false,
      merge: false,
      import: false,
      export: false,
      customFields: false,
      workflows: false,
      timeline: false,
    },
  };

  it('derives kinds, limits and what may be edited from the schemas', () => {
    expect(describeFields(thing)).toEqual([
      {
        key: 'id',
        label: 'Id',
        kind: 'text',
        required: false,
        editable: false,
        filterable: false,
        sortable: false,
        custom: false,
      },
      {
        key: 'name',
        label: 'Name',
        kind: 'text',
        required: true,
        editable: true,
        filterable: true,
        sortable: true,
        maxLength: 80,
        custom: false,
      },
      {
        key: 'size',
        label: 'Size',
        kind: 'number',
        required: false,
        editable: true,
        filterable: true,
        sortable: false,
        custom: false,
      },
      {
        key: 'note',
        label: 'Note',
        kind: 'long_text',
        required: false,
        editable: true,
        filterable: false,
        sortable: false,
        maxLength: 5000,
        custom: false,
      },
      {
        key: 'version',
        label: 'Version',
        kind: 'number',
        required: false,
        editable: false,
        filterable: false,
        sortable: false,
        custom: false,
      },
    ]);
  });

  it('refuses an object key or resource declared twice', () => {
    expect(() => objectRegistry([thing, { ...thing, key: 'other' }])).toThrow(
      /two modules declare/,
    );
    expect(() => objectRegistry([thing, { ...thing, resource: 'others' }])).toThrow(
      /two modules declare/,
    );
  });
});
