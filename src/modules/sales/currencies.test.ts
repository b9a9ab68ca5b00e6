import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../platform/db/index.js';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

interface Stage {
  id: string;
  name: string;
}
interface Column {
  stage: Stage;
  count: number;
  total: number;
  weighted: number;
  unconverted: Array<{ currency: string; count: number; total: number; weighted: number }>;
}

describe('base currency, exchange rates and converted totals', () => {
  let t: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  let pipelineId: string;
  let stages: Stage[];
  const stage = (name: string) => stages.find((s) => s.name === name)?.id ?? '';
  const today = new Date().toISOString().slice(0, 10);
  const api = (u: TestUser = admin) => client(t.app, u.token);
  const column = (board: { stages: Column[] }, name: string) =>
    board.stages.find((s) => s.stage.name === name);
  const deal = async (body: Record<string, unknown>) => {
    const res = await api().post('/api/v1/deals', { expectedCloseDate: today, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; currency: string }>();
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Currencies');
    manager = await addUser(t.app, admin, 'sales_manager');
    const pipeline = (await api().get('/api/v1/pipelines')).json().data[0];
    pipelineId = pipeline.id;
    stages = pipeline.stages;
  });
  afterAll(() => t.close());

  it('refuses a rate for the base currency itself, which would scale every base total (422 naming rates.USD)', async () => {
    const put = await api().put('/api/v1/exchange-rates', { rates: { USD: 2, EUR: 1.1 } });
    expect(put.statusCode).toBe(422);
    expect(errorOf(put)).toMatchObject({
      code: 'SALES_RATE_FOR_BASE_CURRENCY',
      details: [{ path: 'rates.USD' }],
    });
    const patch = await api().patch('/api/v1/exchange-rates', { rates: { usd: 2 } });
    expect(patch.statusCode).toBe(422);
    expect(errorOf(patch).details?.[0]?.path).toBe('rates.USD');
    expect((await api().get('/api/v1/exchange-rates')).json()).toEqual({ base: 'USD', rates: {} });
  });

  it('ignores a base-currency rate stored before the check, so USD totals stay 1:1', async () => {
    await withSystem(t.deps.database.db, (tx) =>
      sql`insert into exchange_rates (organization_id, currency, rate) values (${admin.organizationId}, 'USD', 2)`.execute(
        tx,
      ),
    );
    const d = await deal({ name: 'Base deal', amount: 10_000, stageId: stage('Discovery') });
    const board = (await api().get(`/api/v1/pipelines/${pipelineId}/board`)).json();
    expect(column(board, 'Discovery')).toMatchObject({ count: 1, total: 10_000, unconverted: [] });
    expect((await api().get('/api/v1/exchange-rates')).json().rates).toEqual({});
    await api().delete(`/api/v1/deals/${d.id}`);
    await withSystem(t.deps.database.db, (tx) =>
      sql`delete from exchange_rates where organization_id = ${admin.organizationId}`.execute(tx),
    );
  });

  it('PUT replaces the whole table, PATCH merges (null removes); only admins may change either', async () => {
    expect(
      (await api().put('/api/v1/exchange-rates', { rates: { EUR: 1.1, GBP: 1.3 } })).json(),
    ).toEqual({ base: 'USD', rates: { EUR: 1.1, GBP: 1.3 } });
    const replaced = await api().put('/api/v1/exchange-rates', { rates: { jpy: 0.0067 } });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toEqual({ base: 'USD', rates: { JPY: 0.0067 } });
    const merged = await api().patch('/api/v1/exchange-rates', { rates: { EUR: 1.08, JPY: null } });
    expect(merged.json()).toEqual({ base: 'USD', rates: { EUR: 1.08 } });
    expect((await api(manager).put('/api/v1/exchange-rates', { rates: {} })).statusCode).toBe(403);
    expect(
      (await api(manager).patch('/api/v1/exchange-rates', { rates: { EUR: 9 } })).statusCode,
    ).toBe(403);
    expect((await api(manager).get('/api/v1/exchange-rates')).json().rates).toEqual({ EUR: 1.08 });
    expect((await client(t.app).put('/api/v1/exchange-rates', { rates: {} })).statusCode).toBe(401);
    const zero = await api().put('/api/v1/exchange-rates', { rates: { EUR: 0 } });
    expect(zero.statusCode).toBe(400);
    expect(errorOf(zero).details?.[0]?.path).toBe('rates.EUR');
  });

  it('accepts only ISO 4217 currencies, naming the field, wherever a currency is given', async () => {
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['PUT', '/api/v1/exchange-rates', { rates: { XYZ: 1.5 } }, 'rates.XYZ'],
      ['PATCH', '/api/v1/exchange-rates', { rates: { ABC: 1.5 } }, 'rates.ABC'],
      ['PUT', '/api/v1/exchange-rates', { base: 'XYZ', rates: {} }, 'base'],
      ['POST', '/api/v1/deals', { name: 'Bogus', currency: 'XYZ' }, 'currency'],
      ['POST', '/api/v1/products', { name: 'Bogus', unitPrice: 1, currency: 'XYZ' }, 'currency'],
      [
        'POST',
        '/api/v1/companies',
        { name: 'Bogus', annualRevenue: { amount: 1, currency: 'XYZ' } },
        'annualRevenue.currency',
      ],
      [
        'POST',
        '/api/v1/custom-fields',
        {
          objectType: 'deal',
          key: 'bogus',
          label: 'Bogus',
          type: 'currency',
          options: { currency: 'XYZ' },
        },
        'options.currency',
      ],
    ];
    for (const [method, url, body, path] of cases) {
      const res = await (method === 'PUT'
        ? api().put(url, body)
        : method === 'PATCH'
          ? api().patch(url, body)
          : api().post(url, body));
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(
        errorOf(res).details?.map((d) => d.path),
        `${method} ${url}`,
      ).toContain(path);
      expect(errorOf(res).message).toMatch(/ISO 4217/);
    }
    const lead = (
      await api().post('/api/v1/leads', {
        firstName: 'Convert',
        lastName: 'Me',
        email: 'convert.me@example.com',
      })
    ).json();
    const convert = await api().post(`/api/v1/leads/${lead.id}/convert`, {
      createDeal: true,
      deal: { currency: 'XYZ' },
    });
    expect(convert.statusCode).toBe(400);
    expect(errorOf(convert).details?.[0]?.path).toBe('deal.currency');
    const chf = await deal({ name: 'Lower case is fine', amount: 0, currency: 'chf' });
    expect(chf.currency).toBe('CHF');
    await api().delete(`/api/v1/deals/${chf.id}`);
  });

  it('leaves deals without a rate out of board totals and reports them per currency instead of 1:1', async () => {
    await api().put('/api/v1/exchange-rates', { rates: { EUR: 2 } });
    await deal({ name: 'In USD', amount: 10_000, stageId: stage('Negotiation') });
    await deal({ name: 'In EUR', amount: 10_000, currency: 'EUR', stageId: stage('Negotiation') });
    await deal({ name: 'In SEK', amount: 50_000, currency: 'SEK', stageId: stage('Negotiation') });
    await deal({
      name: 'More SEK',
      amount: 30_000,
      currency: 'SEK',
      stageId: stage('Negotiation'),
      probability: 100,
    });
    const board = (await api().get(`/api/v1/pipelines/${pipelineId}/board`)).json();
    // By hand: 10,000 USD + 10,000 EUR × 2 = 30,000; Negotiation is 75% → 22,500. SEK apart: 80,000, weighted 37,500 + 30,000.
    expect(column(board, 'Negotiation')).toMatchObject({
      count: 4,
      total: 30_000,
      weighted: 22_500,
      unconverted: [{ currency: 'SEK', count: 2, total: 80_000, weighted: 67_500 }],
    });
    expect(board.missingRates).toEqual(['SEK']);
  });

  it('leaves them out of the forecast and of quota attainment too, and lists them apart', async () => {
    const negotiation = stage('Negotiation');
    const won = await deal({
      name: 'Won in NOK',
      amount: 40_000,
      currency: 'NOK',
      stageId: negotiation,
    });
    expect(
      (await api().patch(`/api/v1/deals/${won.id}`, { stageId: stage('Closed won') })).statusCode,
    ).toBe(200);
    const wonUsd = await deal({ name: 'Won in USD', amount: 5_000, stageId: negotiation });
    await api().patch(`/api/v1/deals/${wonUsd.id}`, { stageId: stage('Closed won') });
    const monthStart = `${today.slice(0, 8)}01`;
    expect(
      (
        await api().post('/api/v1/quotas', {
          userId: admin.userId,
          period: 'month',
          periodStart: monthStart,
          amount: 50_000,
        })
      ).statusCode,
    ).toBe(201);
    const f = (await api().get('/api/v1/forecast?period=month')).json();
    const mine = f.owners.find((o: { ownerId: string }) => o.ownerId === admin.userId);
    // Converted: won 5,000 USD; open 10,000 USD + 20,000 (EUR) at 75% → commit 35,000, weighted 22,500.
    expect(mine).toMatchObject({
      closedWon: 5_000,
      commit: 35_000,
      bestCase: 35_000,
      weightedPipeline: 22_500,
      quota: 50_000,
      attainment: 0.1,
    });
    expect(mine.unconverted).toEqual([
      { currency: 'NOK', closedWon: 40_000, commit: 40_000, bestCase: 40_000, weightedPipeline: 0 },
      { currency: 'SEK', closedWon: 0, commit: 80_000, bestCase: 80_000, weightedPipeline: 67_500 },
    ]);
    expect(f.total).toMatchObject({
      closedWon: 5_000,
      attainment: 0.1,
      unconverted: mine.unconverted,
    });
    expect(f.missingRates).toEqual(['NOK', 'SEK']);
    // Once a rate exists, the deals join the converted amounts.
    await api().patch('/api/v1/exchange-rates', { rates: { NOK: 0.5 } });
    const after = (await api().get('/api/v1/forecast?period=month')).json();
    expect(after.total).toMatchObject({ closedWon: 25_000, attainment: 0.5 });
    expect(after.missingRates).toEqual(['SEK']);
  });

  it('changes the base currency only with a fresh rate table in the same PUT, audited; the old table never carries over', async () => {
    const other = await registerOrganization(t.app, 'Rebased');
    const o = client(t.app, other.token);
    await o.put('/api/v1/exchange-rates', { rates: { EUR: 1.1, GBP: 1.3 } });
    const selfRate = await o.put('/api/v1/exchange-rates', {
      base: 'EUR',
      rates: { EUR: 1, USD: 0.9 },
    });
    expect(selfRate.statusCode).toBe(422);
    expect(errorOf(selfRate).details?.[0]?.path).toBe('rates.EUR');
    expect((await o.get('/api/v1/exchange-rates')).json().base).toBe('USD');
    const rebased = await o.put('/api/v1/exchange-rates', { base: 'eur', rates: { USD: 0.9 } });
    expect(rebased.statusCode, rebased.body).toBe(200);
    expect(rebased.json()).toEqual({ base: 'EUR', rates: { USD: 0.9 } });
    expect(
      (await o.post('/api/v1/deals', { name: 'Defaults to the new base' })).json().currency,
    ).toBe('EUR');
    const pipeline = (await o.get('/api/v1/pipelines')).json().data[0];
    const discovery = pipeline.stages.find((s: Stage) => s.name === 'Discovery').id;
    const usd = (
      await o.post('/api/v1/deals', {
        name: 'Old base',
        amount: 10_000,
        currency: 'USD',
        stageId: discovery,
      })
    ).json();
    expect(usd.currency).toBe('USD');
    const board = (await o.get(`/api/v1/pipelines/${pipeline.id}/board`)).json();
    expect(board.currency).toBe('EUR');
    expect(board.stages.find((s: Column) => s.stage.name === 'Discovery')).toMatchObject({
      total: 9_000,
      unconverted: [],
    });
    const audit = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('audit_log')
        .select(['action', 'diff'])
        .where('organization_id', '=', other.organizationId)
        .where('action', 'in', ['organization.base_currency_changed', 'exchange_rates.replaced'])
        .orderBy('seq')
        .execute(),
    );
    expect(audit.map((a) => a.action)).toEqual([
      'exchange_rates.replaced',
      'organization.base_currency_changed',
      'exchange_rates.replaced',
    ]);
    expect(audit[1]?.diff).toEqual({ baseCurrency: { from: 'USD', to: 'EUR' } });
    // The first organization's base is untouched by another's change.
    expect((await api().get('/api/v1/exchange-rates')).json().base).toBe('USD');
    expect(
      (await api(manager).put('/api/v1/exchange-rates', { base: 'GBP', rates: {} })).statusCode,
    ).toBe(403);
  });
});
