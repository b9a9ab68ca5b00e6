import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../platform/db/index.js';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

describe("a deal's lost reason", () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let agent: TestUser;
  let stages: Array<{ id: string; name: string }>;
  const stage = (name: string) => stages.find((s) => s.name === name)?.id ?? '';
  const api = (u: TestUser = admin) => client(t.app, u.token);
  const lostDeal = async (name: string) => {
    const created = await api().post('/api/v1/deals', {
      name,
      amount: 10_000,
      expectedCloseDate: '2026-05-01',
    });
    const lost = await api().patch(`/api/v1/deals/${created.json().id}`, {
      stageId: stage('Closed lost'),
      lostReason: 'Budget cut',
    });
    expect(lost.json(), lost.body).toMatchObject({ status: 'lost', lostReason: 'Budget cut' });
    return lost.json<{ id: string }>();
  };
  const storedReason = async (id: string) =>
    (
      await withSystem(t.deps.database.db, (tx) =>
        sql<{ lost_reason: string | null }>`select lost_reason from deals where id = ${id}`.execute(
          tx,
        ),
      )
    ).rows[0]?.lost_reason ?? null;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Lost reasons');
    rep = await addUser(t.app, admin, 'sales_rep');
    agent = await addUser(t.app, admin, 'support_agent');
    stages = (await api().get('/api/v1/pipelines')).json().data[0].stages;
  });
  afterAll(() => t.close());

  it('is cleared when a lost deal is won', async () => {
    const deal = await lostDeal('Came back');
    const won = await api().patch(`/api/v1/deals/${deal.id}`, { stageId: stage('Closed won') });
    expect(won.statusCode, won.body).toBe(200);
    expect(won.json()).toMatchObject({ status: 'won', lostReason: null });
    expect(await storedReason(deal.id)).toBeNull();
  });

  it('is cleared when a lost deal is reopened, and kept while it stays lost', async () => {
    const deal = await lostDeal('Reopened');
    expect(
      (await api().patch(`/api/v1/deals/${deal.id}`, { name: 'Reopened, renamed' })).json(),
    ).toMatchObject({ status: 'lost', lostReason: 'Budget cut' });
    const reopened = await api().patch(`/api/v1/deals/${deal.id}`, {
      stageId: stage('Negotiation'),
    });
    expect(reopened.json()).toMatchObject({ status: 'open', lostReason: null, closedAt: null });
    expect(await storedReason(deal.id)).toBeNull();
  });

  it('is refused for a deal that is not lost (422 naming lostReason), on create and update', async () => {
    const created = await api().post('/api/v1/deals', {
      name: 'Open with a reason',
      lostReason: 'Too early',
    });
    expect(created.statusCode).toBe(422);
    expect(errorOf(created)).toMatchObject({
      code: 'SALES_LOST_REASON_NOT_LOST',
      details: [{ path: 'lostReason' }],
    });
    const deal = await lostDeal('Won with a reason');
    const won = await api().patch(`/api/v1/deals/${deal.id}`, {
      stageId: stage('Closed won'),
      lostReason: 'Budget cut',
    });
    expect(won.statusCode).toBe(422);
    expect(errorOf(won).details?.[0]?.path).toBe('lostReason');
    expect(await storedReason(deal.id)).toBe('Budget cut');
    // Clearing it (null) is always fine.
    expect(
      (await api().post('/api/v1/deals', { name: 'Null is fine', lostReason: null })).statusCode,
    ).toBe(201);
    const long = await api().patch(`/api/v1/deals/${deal.id}`, { lostReason: 'x'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(errorOf(long).details?.[0]?.path).toBe('lostReason');
  });

  it('cannot be changed by someone who may not update the deal', async () => {
    const deal = await lostDeal('Not yours');
    expect(
      (await api(rep).patch(`/api/v1/deals/${deal.id}`, { stageId: stage('Closed won') }))
        .statusCode,
    ).toBe(404);
    expect(
      (await api(agent).patch(`/api/v1/deals/${deal.id}`, { stageId: stage('Closed won') }))
        .statusCode,
    ).toBe(403);
    expect(await storedReason(deal.id)).toBe('Budget cut');
  });
});
