import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

/**
 * The contact and company exports are part of the API contract: their columns (address parts,
 * consent status, primary email and phone, revenue as amount and currency) come from the
 * declarations' `exportColumns`, written by the one exporter every object uses.
 */

const CONTACT_HEADER = [
  'id',
  'firstName',
  'lastName',
  'email',
  'phone',
  'title',
  'companyId',
  'ownerId',
  'status',
  'source',
  'tags',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'emailConsent',
  'leadScore',
  'lastContactedAt',
  'createdAt',
  'updatedAt',
];

const COMPANY_HEADER = [
  'id',
  'name',
  'domain',
  'industry',
  'size',
  'annualRevenue',
  'currency',
  'website',
  'phone',
  'ownerId',
  'parentId',
  'createdAt',
  'updatedAt',
];

const rowsOf = (body: string) => parse<Record<string, string>>(body, { columns: true, bom: true });
const headerOf = (body: string): unknown => (parse(body, { bom: true, to: 1 }) as unknown[])[0];

describe('contact and company exports', () => {
  let t: TestApp;
  let admin: TestUser;
  let companyId: string;
  let contactId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Export contract');
    const api = client(t.app, admin.token);
    const company = await api.post('/api/v1/companies', {
      name: 'Acme',
      domain: 'acme.example',
      annualRevenue: { amount: 125000, currency: 'EUR' },
      address: { city: 'Lyon' },
    });
    expect(company.statusCode, company.body).toBe(201);
    companyId = company.json<{ id: string }>().id;
    await api.post('/api/v1/companies', { name: 'Bare' });
    const contact = await api.post('/api/v1/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      emails: [
        { email: 'other@acme.example', primary: false },
        { email: 'ada@acme.example', primary: true },
      ],
      phone: '+33 6 12 34 56 78',
      companyId,
      tags: ['vip', 'math'],
      address: { street: '1 Rue X', city: 'Lyon', postalCode: '69001', country: 'FR' },
      emailConsent: { status: 'opted_in' },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    contactId = contact.json<{ id: string }>().id;
  });
  afterAll(() => t.close());

  it('writes a contact with its primary email and phone, address parts and consent status', async () => {
    const res = await client(t.app, admin.token).get('/api/v1/contacts/export');
    expect(res.statusCode, res.body).toBe(200);
    expect(headerOf(res.body)).toEqual(CONTACT_HEADER);
    const [row] = rowsOf(res.body);
    expect(row).toMatchObject({
      id: contactId,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@acme.example',
      // A leading + is neutralized like any formula character (OWASP CSV injection).
      phone: "'+33612345678",
      companyId,
      ownerId: admin.userId,
      status: 'LEAD',
      tags: 'vip; math',
      street: '1 Rue X',
      city: 'Lyon',
      region: '',
      postalCode: '69001',
      country: 'FR',
      emailConsent: 'opted_in',
    });
    expect(row?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('writes a company with its revenue as amount and currency, empty cells for none', async () => {
    const res = await client(t.app, admin.token).get('/api/v1/companies/export?sort=name');
    expect(res.statusCode, res.body).toBe(200);
    expect(headerOf(res.body)).toEqual(COMPANY_HEADER);
    const rows = rowsOf(res.body);
    expect(rows.map((r) => [r.name, r.domain, r.annualRevenue, r.currency])).toEqual([
      ['Acme', 'acme.example', '125000', 'EUR'],
      ['Bare', '', '', ''],
    ]);
  });

  it('asks for the revenue by its field and gets both of its columns', async () => {
    const res = await client(t.app, admin.token).get(
      '/api/v1/companies/export?sort=name&columns=annualRevenue,name',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(headerOf(res.body)).toEqual(['id', 'annualRevenue', 'currency', 'name']);
    // A part asked by its own name is one column; the list's fields that are not columns are not.
    const city = await client(t.app, admin.token).get('/api/v1/contacts/export?columns=city');
    expect(headerOf(city.body)).toEqual(['id', 'city']);
    const emails = await client(t.app, admin.token).get('/api/v1/contacts/export?columns=emails');
    expect(emails.statusCode).toBe(400);
    expect(errorOf(emails).details?.[0]?.path).toBe('columns');
  });

  it('exports no further than the export grant reaches, even when reading reaches further', async () => {
    const api = client(t.app, admin.token);
    const role = await api.post('/api/v1/roles', {
      key: 'wide_reader',
      name: 'Wide reader',
      permissions: [
        { permission: 'contacts:read', scope: 'all' },
        { permission: 'contacts:create', scope: 'own' },
        { permission: 'contacts:export', scope: 'own' },
      ],
    });
    expect(role.statusCode, role.body).toBe(201);
    const reader = await addUser(t.app, admin, 'wide_reader');
    const own = await client(t.app, reader.token).post('/api/v1/contacts', { firstName: 'Mine' });
    expect(own.statusCode, own.body).toBe(201);
    const list = await client(t.app, reader.token).get('/api/v1/contacts');
    expect(list.json<{ data: unknown[] }>().data).toHaveLength(2);
    const res = await client(t.app, reader.token).get('/api/v1/contacts/export');
    expect(res.statusCode, res.body).toBe(200);
    expect(rowsOf(res.body).map((r) => r.firstName)).toEqual(['Mine']);
  });

  it('keeps another organization out, and refuses a role without the export grant', async () => {
    const other = await registerOrganization(t.app, 'Other contract');
    const theirs = await client(t.app, other.token).get('/api/v1/companies/export');
    expect(theirs.statusCode).toBe(200);
    expect(rowsOf(theirs.body)).toEqual([]);
    const agent = await addUser(t.app, admin, 'support_agent');
    expect((await client(t.app, agent.token).get('/api/v1/companies')).statusCode).toBe(200);
    const refused = await client(t.app, agent.token).get('/api/v1/companies/export');
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('FORBIDDEN');
  });
});
