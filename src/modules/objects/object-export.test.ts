import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

/**
 * Exports of objects kept in the kernel's storage (an admin's objects, notes) go through the same
 * exporter as every declared object, with the columns of the object's description.
 */

const rowsOf = (body: string) => parse<Record<string, string>>(body, { columns: true, bom: true });
const headerOf = (body: string): unknown => (parse(body, { bom: true, to: 1 }) as unknown[])[0];

describe('GET /api/v1/{custom resource}/export', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Kernel export');
    other = await registerOrganization(t.app, 'Elsewhere');
    const api = client(t.app, admin.token);
    const company = async (name: string) =>
      (await api.post('/api/v1/companies', { name })).json<{ id: string }>().id;
    acme = await company('Acme');
    globex = await company('Globex');
    const defined = await api.post('/api/v1/objects', {
      key: 'shipment',
      labels: { singular: 'Shipment', plural: 'Shipments' },
      fields: [
        { key: 'client', label: 'Client', type: 'relation', options: { objectType: 'company' } },
        {
          key: 'labels',
          label: 'Labels',
          type: 'multi_select',
          options: { choices: ['fragile', 'cold', 'heavy'] },
        },
      ],
    });
    expect(defined.statusCode, defined.body).toBe(201);
    // An admin's custom field added to the object afterwards.
    const weight = await api.post('/api/v1/custom-fields', {
      objectType: 'shipment',
      key: 'weight',
      label: 'Weight',
      type: 'number',
    });
    expect(weight.statusCode, weight.body).toBe(201);
    for (const body of [
      { name: '=HYPERLINK("x")', client: acme, labels: ['fragile', 'cold'], weight: 12 },
      { name: 'Plain', client: acme },
      { name: 'Elsewhere bound', client: globex, weight: 3 },
    ]) {
      const res = await api.post('/api/v1/shipments', body);
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('writes a column per described field: the relation as its id, the custom field by key', async () => {
    const res = await client(t.app, admin.token).get(
      `/api/v1/shipments/export?filter[client]=${acme}&sort=name`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /filename="shipments-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(headerOf(res.body)).toEqual([
      'id',
      'name',
      'ownerId',
      'client',
      'labels',
      'weight',
      'createdAt',
      'updatedAt',
    ]);
    expect(rowsOf(res.body).map((r) => [r.name, r.client, r.labels, r.weight])).toEqual([
      ['\'=HYPERLINK("x")', acme, 'fragile; cold', '12'],
      ['Plain', acme, '', ''],
    ]);
  });

  it('keeps the columns asked for and writes XLSX', async () => {
    const res = await client(t.app, admin.token).get(
      '/api/v1/shipments/export?format=xlsx&sort=-name&columns=weight,client',
    );
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('shipments');
    expect(sheet?.getRow(1).values).toEqual([undefined, 'id', 'weight', 'client']);
    expect(sheet?.getRow(3).values).toEqual([undefined, expect.any(String), 3, globex]);
    expect(sheet?.rowCount).toBe(4);
    // The kernel keeps its fields at the top level: `custom.weight` is no column of it.
    const bad = await client(t.app, admin.token).get(
      '/api/v1/shipments/export?columns=custom.weight',
    );
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('columns');
  });

  it('refuses a bad filter before writing anything', async () => {
    const res = await client(t.app, admin.token).get('/api/v1/shipments/export?filter[colour]=red');
    expect(res.statusCode).toBe(400);
  });

  it('answers 404 to another organization and for an object there is not', async () => {
    const theirs = await client(t.app, other.token).get('/api/v1/shipments/export');
    expect(theirs.statusCode).toBe(404);
    expect((await client(t.app, admin.token).get('/api/v1/parcels/export')).statusCode).toBe(404);
  });

  it('answers 403 to a role that reads but may not export, and exports in the exporter scope', async () => {
    const agent = await addUser(t.app, admin, 'support_agent');
    expect((await client(t.app, agent.token).get('/api/v1/shipments')).statusCode).toBe(200);
    const refused = await client(t.app, agent.token).get('/api/v1/shipments/export');
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('FORBIDDEN');
    // A manager exports their teams' records: the admin's, in no team of theirs, are not among them.
    const manager = await addUser(t.app, admin, 'sales_manager');
    const own = await client(t.app, manager.token).post('/api/v1/shipments', { name: 'Managed' });
    expect(own.statusCode, own.body).toBe(201);
    const mine = await client(t.app, manager.token).get('/api/v1/shipments/export');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(rowsOf(mine.body).map((r) => r.name)).toEqual(['Managed']);
  });

  it('exports notes, a module-declared kernel object, with their declared fields', async () => {
    const api = client(t.app, admin.token);
    const note = await api.post('/api/v1/notes', { name: 'Call', body: 'Renewal', company: acme });
    expect(note.statusCode, note.body).toBe(201);
    const res = await api.get('/api/v1/notes/export?columns=name,company,pinned');
    expect(res.statusCode, res.body).toBe(200);
    expect(headerOf(res.body)).toEqual(['id', 'name', 'company', 'pinned']);
    expect(rowsOf(res.body)).toEqual([
      { id: note.json<{ id: string }>().id, name: 'Call', company: acme, pinned: '' },
    ]);
  });
});
