import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { seedDemoRecords } from '../contacts/index.js';
import { seedDemoTickets } from './index.js';

describe('support demo seed', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Demo');
    await seedDemoRecords(t.deps, admin.organizationId, admin.userId, {
      companies: 6,
      contacts: 20,
    });
    await seedDemoTickets(t.deps, admin.organizationId, admin.userId);
  });
  afterAll(() => t.close());

  it('fills the ticket list with numbered tickets about demo contacts in every status and priority', async () => {
    const api = client(t.app, admin.token);
    const tickets = (await api.get('/api/v1/tickets?limit=200&sort=number')).json().data as Array<{
      number: number;
      status: string;
      priority: string;
      contactId: string | null;
      ownerId: string | null;
      solvedAt: string | null;
    }>;
    expect(tickets.map((x) => x.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(new Set(tickets.map((x) => x.status))).toEqual(
      new Set(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']),
    );
    expect(new Set(tickets.map((x) => x.priority))).toEqual(
      new Set(['low', 'normal', 'high', 'urgent']),
    );
    expect(tickets.every((x) => x.contactId !== null)).toBe(true);
    expect(tickets.filter((x) => x.ownerId === null).length).toBeGreaterThan(0);
    expect(
      tickets
        .filter((x) => x.solvedAt !== null)
        .map((x) => x.status)
        .sort(),
    ).toEqual(['closed', 'closed', 'solved', 'solved', 'solved']);
    // The counter continues after the seeded numbers.
    expect((await api.post('/api/v1/tickets', { subject: 'After the demo' })).json().number).toBe(
      16,
    );
  });
});
