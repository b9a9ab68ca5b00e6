import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { seedDemoRecords } from '../contacts/index.js';
import { seedDemoDeals } from './index.js';

/** The fields of a deal that the dashboard's numbers are made of. */
interface DealRow {
  id: string;
  name: string;
  amount: number;
  stageId: string;
  status: 'open' | 'won' | 'lost';
  probability: number;
  expectedCloseDate: string | null;
  closedAt: string | null;
  createdAt: string;
}

interface Totals {
  count: number;
  total: number;
  weighted: number;
}

const sum = (deals: readonly DealRow[]) => deals.reduce((s, d) => s + d.amount, 0);
// The server sums amount × probability / 100 exactly and rounds once per group.
const weighted = (deals: readonly DealRow[]) =>
  Math.round(deals.reduce((s, d) => s + (d.amount * d.probability) / 100, 0));
const totalsOf = (deals: readonly DealRow[]): Totals => ({
  count: deals.length,
  total: sum(deals),
  weighted: weighted(deals),
});

/**
 * Every number the sales dashboard shows, checked against the same sum done here over the deals
 * the deals API lists: the board's stage columns and open/won/lost split, and the forecast's
 * closed won, commit, best case, weighted pipeline, attainment and sales cycle.
 */
describe('sales dashboard numbers against the deals behind them', () => {
  let t: TestApp;
  let admin: TestUser;
  let pipelineId: string;
  let deals: DealRow[];
  const api = () => client(t.app, admin.token);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Numbers');
    await seedDemoRecords(t.deps, admin.organizationId, admin.userId, {
      companies: 5,
      contacts: 10,
    });
    await seedDemoDeals(t.deps, admin.organizationId, admin.userId, 60);
    const pipeline = (await api().get('/api/v1/pipelines')).json().data[0];
    pipelineId = pipeline.id;
    const stageId = (kind: string) =>
      pipeline.stages.find((s: { kind: string }) => s.kind === kind).id as string;
    // Make sure this period has a won deal and open deals due, whatever day the test runs.
    const today = new Date().toISOString().slice(0, 10);
    for (const [name, probability] of [
      ['Due soon at 80', 80],
      ['Due soon at 30', 30],
    ] as const) {
      const res = await api().post('/api/v1/deals', {
        name,
        amount: 1_234_567,
        probability,
        expectedCloseDate: today,
        stageId: stageId('open'),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const won = (
      await api().post('/api/v1/deals', {
        name: 'Won today',
        amount: 777_700,
        stageId: stageId('open'),
      })
    ).json();
    const patched = await api().patch(`/api/v1/deals/${won.id}`, { stageId: stageId('won') });
    expect(patched.statusCode, patched.body).toBe(200);
    deals = [];
    let cursor = '';
    do {
      const page = (
        await api().get(`/api/v1/deals?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      deals.push(...page.data);
      cursor = page.meta.nextCursor ?? '';
    } while (cursor);
    expect(deals).toHaveLength(63);
  });
  afterAll(() => t.close());

  it('sums each stage column and splits open, won and lost deals apart', async () => {
    const board = (await api().get(`/api/v1/pipelines/${pipelineId}/board?limit=1`)).json();
    for (const column of board.stages) {
      const of = deals.filter((d) => d.stageId === column.stage.id);
      expect({ stage: column.stage.name, ...totalsOf(of) }).toEqual({
        stage: column.stage.name,
        count: column.count,
        total: column.total,
        weighted: column.weighted,
      });
    }
    for (const kind of ['open', 'won', 'lost'] as const) {
      const of = deals.filter((d) => d.status === kind);
      expect(of.length, kind).toBeGreaterThan(0);
      expect(board.summary[kind], kind).toEqual(totalsOf(of));
    }
    // "Open deals" is what is still in play: never a won or lost one.
    expect(board.summary.open.count).toBe(
      deals.filter((d) => d.status !== 'won' && d.status !== 'lost').length,
    );
  });

  it('forecasts closed won, commit, best case and weighted pipeline from the same deals', async () => {
    const f = (await api().get('/api/v1/forecast?period=quarter')).json();
    const inPeriod = (day: string | null) =>
      day !== null && day.slice(0, 10) >= f.periodStart && day.slice(0, 10) < f.periodEnd;
    const closedWon = sum(deals.filter((d) => d.status === 'won' && inPeriod(d.closedAt)));
    const due = deals.filter((d) => d.status === 'open' && inPeriod(d.expectedCloseDate));
    expect(closedWon).toBeGreaterThan(0);
    expect(due.length).toBeGreaterThanOrEqual(2);
    expect(f.total).toMatchObject({
      closedWon,
      commit: closedWon + sum(due.filter((d) => d.probability >= 70)),
      bestCase: closedWon + sum(due),
      weightedPipeline: weighted(due),
    });
    const won = deals.filter((d) => d.status === 'won' && d.closedAt);
    const days =
      won.reduce(
        (s, d) => s + (Date.parse(d.closedAt ?? '') - Date.parse(d.createdAt)) / 86_400_000,
        0,
      ) / won.length;
    expect(f.averageSalesCycleDays).toBeCloseTo(days, 1);
  });

  it('puts closed won against the quota of the period', async () => {
    const before = (await api().get('/api/v1/forecast?period=quarter')).json();
    const quota = await api().post('/api/v1/quotas', {
      userId: admin.userId,
      period: 'quarter',
      periodStart: before.periodStart,
      amount: 10_000_000,
    });
    expect(quota.statusCode, quota.body).toBe(201);
    const f = (await api().get('/api/v1/forecast?period=quarter')).json();
    expect(f.total.quota).toBe(10_000_000);
    expect(f.total.attainment).toBeCloseTo(f.total.closedWon / 10_000_000, 6);
  });

  it('searches the board like the list: only the deals whose words match', async () => {
    const board = (
      await api().get(`/api/v1/pipelines/${pipelineId}/board?q=${encodeURIComponent('due soon')}`)
    ).json();
    const names = board.stages.flatMap((c: { deals: DealRow[] }) => c.deals.map((d) => d.name));
    expect(names.sort()).toEqual(['Due soon at 30', 'Due soon at 80']);
    expect(board.summary.open.count).toBe(2);
    expect(board.summary.won.count).toBe(0);
  });
});
