import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

describe('companies and custom fields', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Companies');
    other = await registerOrganization(t.app, 'Rival');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);

  it('normalizes the domain and keeps it unique per organization', async () => {
    const res = await api().post('/api/v1/companies', {
      name: 'Acme',
      domain: 'https://WWW.Acme.co.uk/about',
      annualRevenue: { amount: 125000000, currency: 'gbp' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Acme',
      domain: 'acme.co.uk',
      annualRevenue: { amount: 125000000, currency: 'GBP' },
    });
    const dup = await api().post('/api/v1/companies', { name: 'Acme Again', domain: 'acme.co.uk' });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).code).toBe('RECORDS_COMPANY_DOMAIN_TAKEN');
    // Another organization may have its own Acme.
    expect(
      (await api(other).post('/api/v1/companies', { name: 'Acme', domain: 'acme.co.uk' }))
        .statusCode,
    ).toBe(201);
  });

  it('links contacts to companies only within the organization', async () => {
    const company = (
      await api().post('/api/v1/companies', { name: 'Initech', domain: 'initech.example' })
    ).json();
    const contact = await api().post('/api/v1/contacts', {
      firstName: 'Peter',
      companyId: company.id,
    });
    expect(contact.json().companyId).toBe(company.id);
    const foreign = await api(other).post('/api/v1/contacts', {
      firstName: 'Spy',
      companyId: company.id,
    });
    expect(foreign.statusCode).toBe(422);
    expect(errorOf(foreign).details?.[0]?.path).toBe('companyId');
  });

  it('lets admins define custom fields and validates values on every write', async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    expect(
      (
        await api(rep).post('/api/v1/custom-fields', {
          objectType: 'contact',
          key: 'shoeSize',
          label: 'Shoe size',
          type: 'number',
        })
      ).statusCode,
    ).toBe(403);
    const defs = [
      { objectType: 'contact', key: 'shoeSize', label: 'Shoe size', type: 'number' },
      {
        objectType: 'contact',
        key: 'tier',
        label: 'Tier',
        type: 'select',
        options: { choices: ['gold', 'silver'] },
      },
      { objectType: 'contact', key: 'renewal', label: 'Renewal', type: 'date' },
      { objectType: 'company', key: 'segment', label: 'Segment', type: 'text', required: true },
    ];
    for (const d of defs)
      expect((await api().post('/api/v1/custom-fields', d)).statusCode).toBe(201);
    expect((await api().post('/api/v1/custom-fields', { ...defs[0] })).statusCode).toBe(409);
    expect(
      errorOf(
        await api().post('/api/v1/custom-fields', {
          objectType: 'contact',
          key: 'x',
          label: 'X',
          type: 'select',
        }),
      ).details?.[0]?.path,
    ).toBe('options.choices');

    const wrong = await api().post('/api/v1/contacts', {
      firstName: 'Cf',
      customFields: { shoeSize: 'big', tier: 'platinum', renewal: '2026-13-45', ghost: 1 },
    });
    expect(wrong.statusCode).toBe(400);
    expect(
      errorOf(wrong)
        .details?.map((d) => d.path)
        .sort(),
    ).toEqual([
      'customFields.ghost',
      'customFields.renewal',
      'customFields.shoeSize',
      'customFields.tier',
    ]);
    const missing = await api().post('/api/v1/companies', { name: 'No segment' });
    expect(errorOf(missing).details?.map((d) => d.path)).toEqual(['customFields.segment']);

    for (const [size, tier] of [
      [38, 'gold'],
      [42, 'silver'],
      [45, 'gold'],
    ] as const) {
      expect(
        (
          await api().post('/api/v1/contacts', {
            firstName: `Size${size}`,
            customFields: { shoeSize: size, tier },
          })
        ).statusCode,
      ).toBe(201);
    }
    const big = (
      await api().get('/api/v1/contacts?filter[custom.shoeSize][gte]=42&sort=-custom.shoeSize')
    )
      .json()
      .data.map((c: { firstName: string }) => c.firstName);
    expect(big).toEqual(['Size45', 'Size42']);
    const gold = (await api().get('/api/v1/contacts?filter[custom.tier]=gold&count=true')).json();
    expect(gold.meta.total).toBe(2);
    const patched = await api().patch(
      `/api/v1/contacts/${(await api().get('/api/v1/contacts?filter[custom.tier]=silver')).json().data[0].id}`,
      { customFields: { tier: null } },
    );
    expect(patched.json().customFields).toEqual({ shoeSize: 42 });
  });

  it('keeps a timeline of activities and field changes, newest first', async () => {
    const c = (await api().post('/api/v1/contacts', { firstName: 'Timeline' })).json();
    await api().patch(`/api/v1/contacts/${c.id}`, { title: 'CTO' });
    const call = await api().post('/api/v1/activities', {
      type: 'call',
      subject: 'Intro call',
      contactId: c.id,
      status: 'done',
    });
    expect(call.statusCode, call.body).toBe(201);
    await api().post('/api/v1/activities', {
      type: 'task',
      subject: 'Send proposal',
      contactId: c.id,
      dueAt: '2030-01-01T09:00:00Z',
    });
    const entries = (await api().get(`/api/v1/contacts/${c.id}/timeline`)).json().data;
    expect(
      entries.map(
        (e: { kind: string; data: { subject?: string; action?: string } }) =>
          e.data.subject ?? e.data.action,
      ),
    ).toEqual(['Send proposal', 'Intro call', 'contact.updated', 'contact.created']);
    expect((await api().get(`/api/v1/contacts/${c.id}`)).json().lastContactedAt).not.toBeNull();
    const page = (await api().get(`/api/v1/contacts/${c.id}/timeline?limit=2`)).json();
    const rest = (
      await api().get(`/api/v1/contacts/${c.id}/timeline?limit=2&cursor=${page.meta.nextCursor}`)
    ).json();
    expect([...page.data, ...rest.data].map((e: { id: string }) => e.id)).toHaveLength(4);
    expect(rest.meta.nextCursor).toBeNull();
  });

  it('saves personal and shared views', async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    const mine = await api(rep).post('/api/v1/views', {
      objectType: 'contact',
      name: 'My VIPs',
      filters: { 'filter[tags]': 'vip' },
      sort: '-createdAt',
      columns: ['name', 'email'],
    });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(
      (
        await api(rep).post('/api/v1/views', {
          objectType: 'contact',
          name: 'Everyone',
          shared: true,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await api().post('/api/v1/views', {
          objectType: 'contact',
          name: 'Customers',
          shared: true,
          filters: { 'filter[status]': 'CUSTOMER' },
        })
      ).statusCode,
    ).toBe(201);
    const seen = (await api(rep).get('/api/v1/views?objectType=contact'))
      .json()
      .data.map((v: { name: string }) => v.name);
    expect(seen).toEqual(['Customers', 'My VIPs']);
    expect(
      (await api().get('/api/v1/views')).json().data.map((v: { name: string }) => v.name),
    ).toEqual(['Customers']);
    expect(
      errorOf(
        await api().post('/api/v1/views', {
          objectType: 'contact',
          name: 'x',
          filters: { password: 'x' },
        }),
      ).details?.[0]?.path,
    ).toContain('filters');
  });
});
