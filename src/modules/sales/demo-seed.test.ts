import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { seedDemoRecords } from '../contacts/index.js';
import { seedDemoDeals } from './index.js';

describe('sales demo seed', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Demo');
    await seedDemoRecords(t.deps, admin.organizationId, admin.userId, {
      companies: 10,
      contacts: 30,
    });
    await seedDemoDeals(t.deps, admin.organizationId, admin.userId, 60);
  });
  afterAll(() => t.close());

  it('fills the board, the win rates and the sales cycle', async () => {
    const api = client(t.app, admin.token);
    const pipeline = (await api.get('/api/v1/pipelines')).json().data[0];
    const board = (await api.get(`/api/v1/pipelines/${pipeline.id}/board`)).json();
    const counts = board.stages.map((s: { count: number }) => s.count);
    expect(counts.reduce((a: number, b: number) => a + b, 0)).toBe(60);
    expect(counts.filter((c: number) => c > 0).length).toBeGreaterThanOrEqual(4);
    const forecast = (await api.get('/api/v1/forecast?period=quarter')).json();
    expect(forecast.winRateByStage.length).toBeGreaterThan(0);
    expect(forecast.averageSalesCycleDays).toBeGreaterThan(5);
    const lost = (await api.get('/api/v1/deals?limit=200'))
      .json()
      .data.filter((d: { status: string }) => d.status === 'lost');
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((d: { lostReason: string | null }) => d.lostReason)).toBe(true);
  });
});
