import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, errorOf, createTestApp, type TestApp } from '../../../test/harness.js';

/**
 * The exports built from the object declarations (leads, deals, tickets): each walks its object's
 * own list, so it filters, scopes and isolates tenants exactly as the list does.
 */
interface Case {
  resource: 'leads' | 'deals' | 'tickets';
  objectType: string;
  title: string;
  /** Who exports: a role whose export grant has team scope. */
  exporter: string;
  /** A role that reads the object but may not export it. */
  readerOnly: string;
  body: (title: string, ownerId: string, tags: string[]) => Record<string, unknown>;
}

const CASES: Case[] = [
  {
    resource: 'leads',
    objectType: 'lead',
    title: 'companyName',
    exporter: 'sales_manager',
    readerOnly: 'sales_rep',
    body: (title, ownerId, tags) => ({ companyName: title, ownerId, tags }),
  },
  {
    resource: 'deals',
    objectType: 'deal',
    title: 'name',
    exporter: 'sales_manager',
    readerOnly: 'sales_rep',
    body: (title, ownerId, tags) => ({ name: title, ownerId, tags }),
  },
  {
    resource: 'tickets',
    objectType: 'ticket',
    title: 'subject',
    exporter: 'support_agent',
    readerOnly: 'sales_rep',
    body: (title, ownerId, tags) => ({ subject: title, ownerId, tags }),
  },
];

const rowsOf = (body: string) => parse<Record<string, string>>(body, { columns: true, bom: true });

describe.each(CASES)('GET /api/v1/$resource/export', (c) => {
  let t: TestApp;
  let admin: TestUser;
  let exporter: TestUser;
  let reader: TestUser;
  let foreign: TestUser;
  const url = (query: string) => `/api/v1/${c.resource}/export?${query}`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, `Export ${c.resource}`);
    exporter = await addUser(t.app, admin, c.exporter);
    reader = await addUser(t.app, admin, c.readerOnly);
    await createTeam(t.app, admin, 'Exporters', [{ userId: exporter.userId }]);
    const api = client(t.app, admin.token);
    const field = await api.post('/api/v1/custom-fields', {
      objectType: c.objectType,
      key: 'tier',
      label: 'Tier',
      type: 'text',
    });
    expect(field.statusCode, field.body).toBe(201);
    const create = async (user: TestUser, body: Record<string, unknown>) => {
      const res = await client(t.app, user.token).post(`/api/v1/${c.resource}`, body);
      expect(res.statusCode, res.body).toBe(201);
    };
    // In the exporter's team: a formula, a plain row and one without the tag the filter asks for.
    await create(admin, {
      ...c.body('=cmd|calc', exporter.userId, ['export']),
      customFields: { tier: '@gold' },
    });
    await create(admin, c.body('Plain', exporter.userId, ['export']));
    await create(admin, c.body('Untagged', exporter.userId, []));
    // Owned by the admin, outside the exporter's team: hidden by its scope.
    await create(admin, c.body('Admins own', admin.userId, ['export']));
    foreign = await registerOrganization(t.app, 'Foreign');
    await create(foreign, c.body('Foreign record', foreign.userId, ['export']));
  });
  afterAll(() => t.close());

  it('exports what the filter matches, in the exporter scope, neutralizing formulas', async () => {
    const res = await client(t.app, exporter.token).get(url(`filter[tags]=export&sort=${c.title}`));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`attachment; filename="${c.resource}-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
    );
    const rows = rowsOf(res.body);
    expect(rows.map((r) => r[c.title])).toEqual(["'=cmd|calc", 'Plain']);
    expect(rows[0]?.['custom.tier']).toBe("'@gold");
    expect(rows[0]?.tags).toBe('export');
  });

  it('shows an admin every record of the organization and none of another', async () => {
    const res = await client(t.app, admin.token).get(url('filter[tags]=export'));
    const titles = rowsOf(res.body).map((r) => r[c.title]);
    expect(titles.sort()).toEqual(["'=cmd|calc", 'Admins own', 'Plain']);
    const theirs = rowsOf((await client(t.app, foreign.token).get(url(''))).body);
    expect(theirs.map((r) => r[c.title])).toEqual(['Foreign record']);
  });

  it('writes only the columns asked for, id first, and refuses an unknown one', async () => {
    const res = await client(t.app, exporter.token).get(
      url(`filter[tags]=export&sort=${c.title}&columns=${c.title},custom.tier`),
    );
    expect(res.statusCode).toBe(200);
    expect(parse(res.body, { bom: true, to: 1 })[0]).toEqual(['id', c.title, 'custom.tier']);
    expect(rowsOf(res.body)).toHaveLength(2);
    const bad = await client(t.app, exporter.token).get(url('columns=nope'));
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('columns');
  });

  it('refuses a bad filter before writing anything', async () => {
    const res = await client(t.app, admin.token).get(url('filter[nope]=1'));
    expect(res.statusCode).toBe(400);
  });

  it('writes an XLSX workbook a spreadsheet library reads back', async () => {
    const res = await client(t.app, exporter.token).get(
      url(`format=xlsx&filter[tags]=export&sort=${c.title}&columns=${c.title}`),
    );
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet(c.resource);
    expect(sheet?.getRow(1).values).toEqual([undefined, 'id', c.title]);
    expect(sheet?.getRow(2).getCell(2).value).toBe("'=cmd|calc");
    expect(sheet?.getRow(3).getCell(2).value).toBe('Plain');
    expect(sheet?.rowCount).toBe(3);
  });

  it('answers 403 to a role that reads but may not export, and 401 without a token', async () => {
    expect((await client(t.app, reader.token).get(`/api/v1/${c.resource}`)).statusCode).toBe(200);
    const res = await client(t.app, reader.token).get(url(''));
    expect(res.statusCode).toBe(403);
    expect((await client(t.app).get(url(''))).statusCode).toBe(401);
  });
});
