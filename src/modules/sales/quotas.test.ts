import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../platform/db/index.js';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

const QUOTAS = '/api/v1/quotas';

describe('quotas', () => {
  let t: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  let rep: TestUser;
  let outsider: TestUser;
  let teamId: string;
  const api = (u: TestUser = admin) => client(t.app, u.token);
  const amounts = async () =>
    (
      await withSystem(t.deps.database.db, (tx) =>
        sql<{
          amount: string;
        }>`select amount from quotas where organization_id = ${admin.organizationId}`.execute(tx),
      )
    ).rows;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Quotas');
    manager = await addUser(t.app, admin, 'sales_manager');
    rep = await addUser(t.app, admin, 'sales_rep');
    outsider = await addUser(t.app, admin, 'sales_rep');
    teamId = await createTeam(t.app, admin, 'East', [
      { userId: manager.userId, isManager: true },
      { userId: rep.userId },
    ]);
  });
  afterAll(() => t.close());

  it('refuses a period that does not start on the 1st (422 naming periodStart) instead of moving it', async () => {
    const march = await api().post(QUOTAS, {
      userId: rep.userId,
      period: 'month',
      periodStart: '2026-03-01',
      amount: 100_000,
    });
    expect(march.statusCode, march.body).toBe(201);
    const mid = await api().post(QUOTAS, {
      userId: rep.userId,
      period: 'month',
      periodStart: '2026-03-15',
      amount: 1,
    });
    expect(mid.statusCode).toBe(422);
    expect(errorOf(mid)).toMatchObject({
      code: 'SALES_QUOTA_PERIOD_START',
      details: [{ path: 'periodStart' }],
    });
    const midQuarter = await api().post(QUOTAS, {
      userId: rep.userId,
      period: 'quarter',
      periodStart: '2026-05-01',
      amount: 1,
    });
    expect(midQuarter.statusCode).toBe(422);
    expect(errorOf(midQuarter).details?.[0]?.path).toBe('periodStart');
    expect(
      (
        await api().post(QUOTAS, {
          userId: rep.userId,
          period: 'quarter',
          periodStart: '2026-04-01',
          amount: 300_000,
        })
      ).statusCode,
    ).toBe(201);
    // March's quota was not replaced by the refused mid-month one.
    expect((await amounts()).map((q) => Number(q.amount)).sort((a, b) => a - b)).toEqual([
      100_000, 300_000,
    ]);
    const bad = await api().post(QUOTAS, {
      userId: rep.userId,
      period: 'month',
      periodStart: '2026-02-30',
      amount: 1,
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('periodStart');
  });

  it('answers 409 with the existing id for a second quota of the same target and period; PATCH changes it explicitly', async () => {
    const first = await api().post(QUOTAS, {
      userId: outsider.userId,
      period: 'month',
      periodStart: '2026-06-01',
      amount: 50_000,
    });
    expect(first.statusCode).toBe(201);
    const again = await api().post(QUOTAS, {
      userId: outsider.userId,
      period: 'month',
      periodStart: '2026-06-01',
      amount: 70_000,
    });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('SALES_QUOTA_EXISTS');
    expect(errorOf(again).message).toContain(first.json().id);
    expect((await api().get(`${QUOTAS}?periodStart=2026-06-01`)).json().data).toMatchObject([
      { id: first.json().id, amount: 50_000 },
    ]);
    const stale = await api().patch(
      `${QUOTAS}/${first.json().id}`,
      { amount: 70_000 },
      { 'if-match': '7' },
    );
    expect(stale.statusCode).toBe(412);
    const changed = await api().patch(
      `${QUOTAS}/${first.json().id}`,
      { amount: 70_000 },
      { 'if-match': '1' },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ amount: 70_000, version: 2, periodStart: '2026-06-01' });
    const negative = await api().patch(`${QUOTAS}/${first.json().id}`, { amount: -1 });
    expect(negative.statusCode).toBe(400);
    expect(errorOf(negative).details?.[0]?.path).toBe('amount');
    const audit = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('audit_log')
        .select('action')
        .where('target_id', '=', first.json().id)
        .orderBy('seq')
        .execute(),
    );
    expect(audit.map((a) => a.action)).toEqual(['quota.created', 'quota.updated']);
  });

  it("lets a manager set and change their team's quotas only; a rep reads but may not change (403); another organization sees 404", async () => {
    const team = await api(manager).post(QUOTAS, {
      teamId,
      period: 'quarter',
      periodStart: '2026-07-01',
      amount: 900_000,
    });
    expect(team.statusCode, team.body).toBe(201);
    expect(
      (
        await api(manager).post(QUOTAS, {
          teamId,
          period: 'quarter',
          periodStart: '2026-07-01',
          amount: 1,
        })
      ).statusCode,
    ).toBe(409);
    const repQuota = await api(manager).post(QUOTAS, {
      userId: rep.userId,
      period: 'month',
      periodStart: '2026-07-01',
      amount: 10_000,
    });
    expect(repQuota.statusCode).toBe(201);
    expect(
      (await api(manager).patch(`${QUOTAS}/${repQuota.json().id}`, { amount: 20_000 })).statusCode,
    ).toBe(200);
    // Outside the manager's teams a quota is as if absent (404), like any record out of scope.
    expect(
      (
        await api(manager).post(QUOTAS, {
          userId: outsider.userId,
          period: 'month',
          periodStart: '2026-07-01',
          amount: 1,
        })
      ).statusCode,
    ).toBe(404);
    const outsiders = (await api().get(`${QUOTAS}?periodStart=2026-06-01`)).json().data[0].id;
    expect((await api(manager).patch(`${QUOTAS}/${outsiders}`, { amount: 1 })).statusCode).toBe(
      404,
    );
    expect(
      (await api(rep).patch(`${QUOTAS}/${repQuota.json().id}`, { amount: 1 })).statusCode,
    ).toBe(403);
    const other = await registerOrganization(t.app, 'Elsewhere');
    expect(
      (await client(t.app, other.token).patch(`${QUOTAS}/${repQuota.json().id}`, { amount: 1 }))
        .statusCode,
    ).toBe(404);
    expect(
      (await client(t.app).patch(`${QUOTAS}/${repQuota.json().id}`, { amount: 1 })).statusCode,
    ).toBe(401);
    expect(
      (await api().get(`${QUOTAS}?periodStart=2026-07-01&period=month`)).json().data,
    ).toMatchObject([{ amount: 20_000 }]);
  });
});
