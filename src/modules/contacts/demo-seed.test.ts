import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { seedDemoRecords } from './index.js';

describe('demo seed', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Demo');
    await seedDemoRecords(t.deps, admin.organizationId, admin.userId, {
      companies: 12,
      contacts: 60,
    });
  });
  afterAll(() => t.close());

  it('fills lists, search and timelines with linked records', async () => {
    const api = client(t.app, admin.token);
    expect((await api.get('/api/v1/contacts?limit=1&count=true')).json().meta.total).toBe(60);
    expect((await api.get('/api/v1/companies?limit=1&count=true')).json().meta.total).toBe(12);
    const contact = (await api.get('/api/v1/contacts?limit=1&sort=lastName')).json().data[0];
    expect(contact.companyId).toEqual(expect.any(String));
    const timeline = (await api.get(`/api/v1/contacts/${contact.id}/timeline`)).json().data;
    expect(timeline.length).toBeGreaterThan(0);
    expect(
      (await api.get(`/api/v1/search?q=${encodeURIComponent(contact.lastName)}`)).json().data
        .length,
    ).toBeGreaterThan(0);
    const withCalls = (
      await api.get('/api/v1/contacts?filter[lastContactedAt][isNull]=false&count=true&limit=1')
    ).json().meta.total;
    expect(withCalls).toBeGreaterThan(0);
  });
});
