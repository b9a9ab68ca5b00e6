import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withSystem } from '../../platform/db/index.js';
import { snapshotForecasts } from './index.js';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

interface Stage {
  id: string;
  name: string;
  kind: string;
  probability: number;
}

describe('pipelines, deals, board and forecast', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let outsider: TestUser;
  let stages: Stage[];
  let pipelineId: string;
  const stage = (name: string) => stages.find((s) => s.name === name)?.id ?? '';
  const today = new Date().toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 8)}01`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Sales Co');
    rep = await addUser(t.app, admin, 'sales_rep');
    outsider = await addUser(t.app, admin, 'sales_rep');
    await createTeam(t.app, admin, 'East', [{ userId: rep.userId }]);
    await createTeam(t.app, admin, 'West', [{ userId: outsider.userId }]);
    const pipelines = (await client(t.app, admin.token).get('/api/v1/pipelines')).json().data;
    expect(pipelines).toHaveLength(1);
    pipelineId = pipelines[0].id;
    stages = pipelines[0].stages;
  });
  afterAll(() => t.close());

  it('gives every organization a default pipeline with open, won and lost stages', () => {
    expect(stages.map((s) => s.kind)).toEqual(['open', 'open', 'open', 'open', 'won', 'lost']);
    expect(stages[0]?.probability).toBe(10);
  });

  it('creates a deal in the first stage, with line items summing to its amount', async () => {
    const api = client(t.app, admin.token);
    const product = (
      await api.post('/api/v1/products', {
        name: 'Seat licence',
        sku: 'SEAT-1',
        unitPrice: 10_000,
        currency: 'usd',
      })
    ).json();
    const res = await api.post('/api/v1/deals', {
      name: 'Acme rollout',
      lineItems: [
        { productId: product.id, quantity: 3, discountPercent: 10 },
        { name: 'Onboarding', quantity: 1, unitPrice: 50_000 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const deal = res.json();
    expect(deal).toMatchObject({
      pipelineId,
      stageId: stage('Qualification'),
      status: 'open',
      probability: 10,
      amount: 27_000 + 50_000,
      currency: 'USD',
      ownerId: admin.userId,
    });
    expect(deal.lineItems.map((l: { total: number }) => l.total)).toEqual([27_000, 50_000]);
    const bad = await api.post('/api/v1/deals', { name: 'X', lineItems: [{ quantity: 1 }] });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('lineItems.0.name');
    const badStage = await api.post('/api/v1/deals', {
      name: 'X',
      stageId: '00000000-0000-4000-8000-000000000000',
    });
    expect(badStage.statusCode).toBe(422);
    expect(errorOf(badStage).details?.[0]?.path).toBe('stageId');
  });

  it("shows a change of a deal's line items and people in its audit entry and event", async () => {
    const api = client(t.app, admin.token);
    const contact = (
      await api.post('/api/v1/contacts', { firstName: 'Dora', lastName: 'Buyer' })
    ).json();
    const deal = (
      await api.post('/api/v1/deals', {
        name: 'Initech seats',
        lineItems: [{ name: 'Seat', quantity: 2, unitPrice: 10_000 }],
      })
    ).json();
    const res = await api.patch(`/api/v1/deals/${deal.id}`, {
      lineItems: [{ name: 'Seat', quantity: 5, unitPrice: 10_000 }],
      contacts: [{ contactId: contact.id, role: 'Buyer' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const log = (
      await api.get(`/api/v1/audit-log?filter[targetId]=${deal.id}&filter[action]=deal.updated`)
    ).json();
    const diff = log.data[0]?.diff as Record<string, { from: unknown; to: unknown }>;
    expect(diff.amount).toEqual({ from: 20_000, to: 50_000 });
    expect(Object.keys(diff)).toEqual(expect.arrayContaining(['lineItems', 'contacts']));
    const event = await withSystem(t.deps.database.db, (tx) =>
      sql<{ payload: { changes: Record<string, unknown> } }>`select payload from outbox
        where aggregate_id = ${deal.id} and type = 'deal.updated'`.execute(tx),
    );
    expect(Object.keys(event.rows[0]?.payload.changes ?? {})).toEqual(
      expect.arrayContaining(['amount', 'lineItems', 'contacts']),
    );
    // Out of the way of the board's counts below.
    expect((await api.delete(`/api/v1/deals/${deal.id}`)).statusCode).toBe(204);
  });

  it("blocks stage moves until the stage's required fields are filled, and requires a lost reason", async () => {
    const api = client(t.app, admin.token);
    const deal = (await api.post('/api/v1/deals', { name: 'Globex' })).json();
    const blocked = await api.patch(`/api/v1/deals/${deal.id}`, { stageId: stage('Proposal') });
    expect(blocked.statusCode).toBe(422);
    expect(errorOf(blocked).code).toBe('SALES_STAGE_REQUIREMENTS');
    expect(
      errorOf(blocked)
        .details?.map((d) => d.path)
        .sort(),
    ).toEqual(['amount', 'expectedCloseDate']);
    const moved = await api.patch(`/api/v1/deals/${deal.id}`, {
      stageId: stage('Proposal'),
      amount: 80_000,
      expectedCloseDate: today,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ probability: 50, stage: { name: 'Proposal' } });
    const lost = await api.patch(`/api/v1/deals/${deal.id}`, { stageId: stage('Closed lost') });
    expect(lost.statusCode).toBe(422);
    expect(errorOf(lost).details?.map((d) => d.path)).toEqual(['lostReason']);
    const lostOk = await api.patch(`/api/v1/deals/${deal.id}`, {
      stageId: stage('Closed lost'),
      lostReason: 'Went with a competitor',
    });
    expect(lostOk.json()).toMatchObject({ status: 'lost', lostReason: 'Went with a competitor' });
    expect(lostOk.json().closedAt).not.toBeNull();
    const reopened = (
      await api.patch(`/api/v1/deals/${deal.id}`, { stageId: stage('Negotiation') })
    ).json();
    expect(reopened).toMatchObject({ status: 'open', lostReason: null, closedAt: null });
    const history = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('deal_stage_history' as 'audit_log')
        .selectAll()
        .where('organization_id', '=', admin.organizationId)
        .execute(),
    );
    const mine = (
      history as unknown as Array<{ deal_id: string; stage_id: string; left_at: Date | null }>
    ).filter((h) => h.deal_id === deal.id);
    expect(mine.map((h) => h.stage_id)).toEqual([
      stage('Qualification'),
      stage('Proposal'),
      stage('Closed lost'),
      stage('Negotiation'),
    ]);
    expect(mine.filter((h) => h.left_at === null)).toHaveLength(1);
    const events = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', deal.id)
        .orderBy('position')
        .execute(),
    );
    expect(events.map((e) => e.type)).toEqual([
      'deal.created',
      'deal.updated',
      'deal.stage_changed',
      'deal.updated',
      'deal.stage_changed',
      'deal.lost',
      'deal.updated',
      'deal.stage_changed',
    ]);
  });

  it('answers the board with counts, totals and weighted totals per stage, in the base currency', async () => {
    const api = client(t.app, admin.token);
    await api.put('/api/v1/exchange-rates', { rates: { EUR: 2 } });
    const eur = (
      await api.post('/api/v1/deals', {
        name: 'Euro deal',
        amount: 10_000,
        currency: 'EUR',
        stageId: stage('Discovery'),
      })
    ).json();
    await api.post('/api/v1/deals', { name: 'Second qualifying deal' });
    const board = (await api.get(`/api/v1/pipelines/${pipelineId}/board?limit=1`)).json();
    const discovery = board.stages.find((s: { stage: Stage }) => s.stage.name === 'Discovery');
    expect(discovery).toMatchObject({ count: 1, total: 20_000, weighted: 5_000 });
    expect(discovery.deals[0].id).toBe(eur.id);
    const qualification = board.stages.find(
      (s: { stage: Stage }) => s.stage.name === 'Qualification',
    );
    expect(qualification.count).toBe(2);
    expect(qualification.deals).toHaveLength(1);
    const next = (
      await api.get(
        `/api/v1/pipelines/${pipelineId}/board?limit=1&stageId=${stage('Qualification')}&cursor=${qualification.nextCursor}`,
      )
    ).json();
    expect(next.stages).toHaveLength(1);
    expect(next.stages[0].deals[0].id).not.toBe(qualification.deals[0].id);
  });

  it("forecasts closed won, commit, best case and weighted pipeline against the quota, and only the rep's deals for a rep", async () => {
    const repApi = client(t.app, rep.token);
    const won = await repApi.post('/api/v1/deals', {
      name: 'Rep won',
      amount: 30_000,
      expectedCloseDate: today,
      stageId: stage('Negotiation'),
    });
    expect(won.statusCode, won.body).toBe(201);
    expect(
      (
        await repApi.patch(`/api/v1/deals/${won.json().id}`, { stageId: stage('Closed won') })
      ).json().status,
    ).toBe('won');
    await repApi.post('/api/v1/deals', {
      name: 'Rep commit',
      amount: 40_000,
      expectedCloseDate: today,
      stageId: stage('Negotiation'),
    });
    await repApi.post('/api/v1/deals', {
      name: 'Rep early',
      amount: 20_000,
      expectedCloseDate: today,
      stageId: stage('Discovery'),
    });
    await client(t.app, outsider.token).post('/api/v1/deals', {
      name: 'Outsider',
      amount: 99_000,
      expectedCloseDate: today,
      stageId: stage('Discovery'),
    });
    const quota = await client(t.app, admin.token).post('/api/v1/quotas', {
      userId: rep.userId,
      period: 'month',
      periodStart: monthStart,
      amount: 100_000,
    });
    expect(quota.statusCode, quota.body).toBe(201);

    const mine = (await repApi.get('/api/v1/forecast?period=month')).json();
    expect(mine.owners.map((o: { ownerId: string }) => o.ownerId)).toEqual([rep.userId]);
    // By hand: won 30,000; open in period 40,000 @ 75% and 20,000 @ 25%.
    expect(mine.owners[0]).toMatchObject({
      closedWon: 30_000,
      commit: 70_000,
      bestCase: 90_000,
      weightedPipeline: 40_000 * 0.75 + 20_000 * 0.25,
      quota: 100_000,
      attainment: 0.3,
    });
    expect(
      (await repApi.get('/api/v1/deals?limit=200'))
        .json()
        .data.map((d: { name: string }) => d.name)
        .sort(),
    ).toEqual(['Rep commit', 'Rep early', 'Rep won']);
    const board = (await repApi.get(`/api/v1/pipelines/${pipelineId}/board`)).json();
    expect(board.stages.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(3);

    const everyone = (await client(t.app, admin.token).get('/api/v1/forecast?period=month')).json();
    expect(everyone.owners.length).toBeGreaterThanOrEqual(3);
    expect(
      everyone.winRateByStage.find((r: { stageName: string }) => r.stageName === 'Negotiation'),
    ).toMatchObject({ won: 1 });
    const repQuotas = (await repApi.get('/api/v1/quotas')).json().data;
    expect(repQuotas).toHaveLength(1);
    expect((await client(t.app, outsider.token).get('/api/v1/quotas')).json().data).toHaveLength(0);
  });

  it("snapshots each period's forecast and, once it closes, shows its error per method", async () => {
    const now = new Date();
    const prevStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const prevMid = new Date(prevStart.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
    const repApi = client(t.app, rep.token);
    const deal = (
      await repApi.post('/api/v1/deals', {
        name: 'Last month',
        amount: 50_000,
        expectedCloseDate: prevMid,
        stageId: stage('Negotiation'),
      })
    ).json();
    const written = await snapshotForecasts({ ...t.deps, clock: { now: () => prevStart } });
    expect(written).toBeGreaterThan(0);
    expect(await snapshotForecasts({ ...t.deps, clock: { now: () => prevStart } })).toBe(0);
    await repApi.patch(`/api/v1/deals/${deal.id}`, { stageId: stage('Closed won') });
    await withSystem(t.deps.database.db, (tx) =>
      sql`update deals set closed_at = ${prevMid}::date + interval '12 hours' where id = ${deal.id}`.execute(
        tx,
      ),
    );
    const accuracy = (await repApi.get('/api/v1/forecast?period=month')).json()
      .previousPeriodAccuracy;
    // Predicted on the 1st: commit 50,000 (75% ≥ 70%), weighted 0 won + 37,500; actual 50,000.
    expect(accuracy).toEqual(
      expect.arrayContaining([
        { ownerId: rep.userId, method: 'commit', predicted: 50_000, actual: 50_000, error: 0 },
        {
          ownerId: rep.userId,
          method: 'weighted',
          predicted: 37_500,
          actual: 50_000,
          error: -0.25,
        },
      ]),
    );
    expect(
      (await client(t.app, outsider.token).get('/api/v1/forecast?period=month'))
        .json()
        .previousPeriodAccuracy.some((a: { ownerId: string }) => a.ownerId === rep.userId),
    ).toBe(false);
  });

  it('moves deals to the survivor of a contact merge, and back when the merge is undone', async () => {
    const api = client(t.app, admin.token);
    const keep = (
      await api.post('/api/v1/contacts', {
        firstName: 'Kim',
        lastName: 'Keeper',
        email: 'kim@keep.example',
      })
    ).json();
    const dupe = (
      await api.post('/api/v1/contacts', {
        firstName: 'Kim',
        lastName: 'Keeper',
        email: 'kim.k@keep.example',
      })
    ).json();
    const d1 = (
      await api.post('/api/v1/deals', {
        name: 'Via the duplicate',
        contactId: dupe.id,
        contacts: [{ contactId: dupe.id, role: 'champion' }],
      })
    ).json();
    const d2 = (
      await api.post('/api/v1/deals', {
        name: 'Both linked',
        contacts: [
          { contactId: keep.id, role: 'buyer' },
          { contactId: dupe.id, role: 'user' },
        ],
      })
    ).json();
    const merged = await api.post(`/api/v1/contacts/${keep.id}/merge`, { sourceIds: [dupe.id] });
    expect(merged.statusCode, merged.body).toBe(200);
    await t.deps.outbox.drain();
    const after1 = (await api.get(`/api/v1/deals/${d1.id}`)).json();
    expect(after1).toMatchObject({
      contactId: keep.id,
      contacts: [{ contactId: keep.id, role: 'champion' }],
    });
    expect((await api.get(`/api/v1/deals/${d2.id}`)).json().contacts).toEqual([
      { contactId: keep.id, role: 'buyer' },
    ]);
    const mergeId = merged.json().mergeId;
    expect(typeof mergeId).toBe('string');
    expect((await api.post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(200);
    await t.deps.outbox.drain();
    expect((await api.get(`/api/v1/deals/${d1.id}`)).json()).toMatchObject({
      contactId: dupe.id,
      contacts: [{ contactId: dupe.id, role: 'champion' }],
    });
    const back2 = (await api.get(`/api/v1/deals/${d2.id}`)).json().contacts;
    expect(back2).toHaveLength(2);
    expect(back2).toEqual(
      expect.arrayContaining([
        { contactId: keep.id, role: 'buyer' },
        { contactId: dupe.id, role: 'user' },
      ]),
    );
  });

  it('hides deals across roles and tenants', async () => {
    const deal = (await client(t.app, outsider.token).get('/api/v1/deals')).json().data[0];
    expect((await client(t.app, rep.token).get(`/api/v1/deals/${deal.id}`)).statusCode).toBe(404);
    expect(
      (await client(t.app, rep.token).patch(`/api/v1/deals/${deal.id}`, { name: 'mine now' }))
        .statusCode,
    ).toBe(404);
    const other = await registerOrganization(t.app, 'Other Co');
    const api = client(t.app, other.token);
    expect((await api.get(`/api/v1/deals/${deal.id}`)).statusCode).toBe(404);
    expect((await api.get(`/api/v1/pipelines/${pipelineId}/board`)).statusCode).toBe(404);
    expect((await api.post('/api/v1/deals', { name: 'X', pipelineId })).statusCode).toBe(422);
    expect((await api.get('/api/v1/forecast')).json().owners).toEqual([]);
    expect(
      (await client(t.app, rep.token).post('/api/v1/pipelines', { name: 'Rogue' })).statusCode,
    ).toBe(403);
    expect(
      (
        await client(t.app, rep.token).post('/api/v1/quotas', {
          userId: rep.userId,
          period: 'month',
          periodStart: monthStart,
          amount: 1,
        })
      ).statusCode,
    ).toBe(403);
  });
});
