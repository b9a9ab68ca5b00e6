import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { neutralizeCell } from './export.js';

describe('export', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Export');
    const api = client(t.app, admin.token);
    await api.post('/api/v1/custom-fields', {
      objectType: 'contact',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: { choices: ['gold', 'silver'] },
    });
    await api.post('/api/v1/contacts', {
      firstName: '=HYPERLINK("http://evil")',
      lastName: 'Injector',
      status: 'CUSTOMER',
      customFields: { tier: 'gold' },
    });
    await api.post('/api/v1/contacts', { firstName: 'Plain', lastName: 'Lead', tags: ['a', 'b'] });
  });
  afterAll(() => t.close());

  it('neutralizes cells that spreadsheets would run as formulas', () => {
    expect(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', 'safe', 5, null].map(neutralizeCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      'safe',
      5,
      null,
    ]);
  });

  it('exports the filtered list as CSV with custom fields', async () => {
    const res = await client(t.app, admin.token).get(
      '/api/v1/contacts/export?format=csv&filter[status]=CUSTOMER',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const rows = parse<Record<string, string>>(res.body, { columns: true, bom: true });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      firstName: '\'=HYPERLINK("http://evil")',
      lastName: 'Injector',
      status: 'CUSTOMER',
      'custom.tier': 'gold',
    });
  });

  it('exports XLSX that a spreadsheet library reads back', async () => {
    const res = await client(t.app, admin.token).get(
      '/api/v1/contacts/export?format=xlsx&sort=lastName',
    );
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('contacts');
    expect(sheet?.getRow(1).getCell(2).value).toBe('firstName');
    expect(sheet?.getRow(2).getCell(3).value).toBe('Injector');
    expect(sheet?.getRow(3).getCell(11).value).toBe('a; b');
  });

  it('exports only what the actor may see, and needs the export permission', async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    await client(t.app, rep.token).post('/api/v1/contacts', { firstName: 'Reps', lastName: 'Own' });
    const res = await client(t.app, rep.token).get('/api/v1/contacts/export');
    expect(res.statusCode).toBe(403);
    const manager = await addUser(t.app, admin, 'sales_manager');
    const mine = parse((await client(t.app, manager.token).get('/api/v1/contacts/export')).body, {
      columns: true,
      bom: true,
    });
    expect(mine).toEqual([]);
    expect(
      (await client(t.app, admin.token).get('/api/v1/contacts/export?filter[nope]=1')).statusCode,
    ).toBe(400);
  });

  it('writes only the columns asked for, id first, an address as its parts', async () => {
    const res = await client(t.app, admin.token).get(
      '/api/v1/contacts/export?filter[status]=CUSTOMER&columns=lastName,custom.tier,address',
    );
    expect(res.statusCode).toBe(200);
    const [header] = parse(res.body, { bom: true, to: 1 });
    expect(header).toEqual([
      'id',
      'lastName',
      'custom.tier',
      'street',
      'city',
      'region',
      'postalCode',
      'country',
    ]);
    const rows = parse<Record<string, string>>(res.body, { columns: true, bom: true });
    expect(rows).toEqual([
      expect.objectContaining({ lastName: 'Injector', 'custom.tier': 'gold' }),
    ]);
  });

  it('refuses a column the export does not have, naming columns', async () => {
    const res = await client(t.app, admin.token).get(
      '/api/v1/contacts/export?columns=lastName,nope',
    );
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { details: Array<{ path: string }> } }>().error.details[0]?.path).toBe(
      'columns',
    );
  });
});
