import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ApiError, type Page } from '../../api/client';
import { http, plainQuery, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { ListParams } from '../../api/records';
import type { Activity, Deal, Lead } from '../../api/types';
import { Card } from '../../components/ui';
import { formatMoney } from '../../lib/money';

type Row = { deals: Deal; leads: Lead; activities: Activity };

/** One page of the deal, lead or activity list, with `filter[…]` keys sent as they are spelled. */
const LISTS: { [L in keyof Row]: (query: ListParams) => Promise<Page<Row[L]>> } = {
  deals: (query: ListParams) =>
    unwrap(http.GET('/api/v1/deals', { params: { query }, querySerializer: plainQuery })),
  leads: (query: ListParams) =>
    unwrap(http.GET('/api/v1/leads', { params: { query }, querySerializer: plainQuery })),
  activities: (query: ListParams) =>
    unwrap(http.GET('/api/v1/activities', { params: { query }, querySerializer: plainQuery })),
};

/** Every page of a list (up to `max` rows): the charts below group a year of closed deals. */
async function all<L extends keyof typeof LISTS>(
  list: L,
  query: ListParams,
  max = 2000,
): Promise<Array<Row[L]>> {
  const rows: Array<Row[L]> = [];
  let cursor: string | null = null;
  do {
    const page: Page<Row[L]> = await LISTS[list]({
      ...query,
      limit: '200',
      ...(cursor ? { cursor } : {}),
    });
    rows.push(...page.data);
    cursor = page.meta.nextCursor;
  } while (cursor && rows.length < max);
  return rows;
}

const total = async (list: keyof typeof LISTS, query: ListParams): Promise<number | null> => {
  try {
    return (await LISTS[list]({ ...query, count: 'true', limit: '1' })).meta.total ?? 0;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return null;
    throw e;
  }
};

/**
 * A year of outcomes — won and lost per month, average won deal, the lead-to-won funnel and
 * activities per rep — read from the lists the actor may see, so a rep's charts hold only theirs.
 */
export function SalesHistory({
  owners,
  nameOf,
  since,
}: {
  owners: string;
  nameOf: (id: string | null) => string | null;
  since: string;
}) {
  const navigate = useNavigate();
  // One owner, a team's members, or everyone the reader may see.
  const owner: ListParams = owners ? { 'filter[ownerId][in]': owners } : {};
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const closed = useQuery({
    queryKey: keys.salesHistory.closedDeals(yearAgo, owners),
    queryFn: () => all('deals', { 'filter[closedAt][gte]': yearAgo, ...owner }),
  });
  const funnel = useQuery({
    queryKey: keys.salesHistory.funnel(owners),
    queryFn: async () => ({
      leads: await total('leads', owner),
      qualified: await total('leads', { 'filter[status][in]': 'qualified,converted', ...owner }),
      converted: await total('leads', { 'filter[status]': 'converted', ...owner }),
    }),
  });
  const activities = useQuery({
    queryKey: keys.salesHistory.activitiesSince(since, owners),
    queryFn: () => all('activities', { 'filter[createdAt][gte]': since, ...owner }),
  });
  if (!closed.data) return null;
  const months = new Map<string, { month: string; won: number; lost: number }>();
  for (const d of closed.data) {
    const month = (d.closedAt ?? '').slice(0, 7);
    const m = months.get(month) ?? { month, won: 0, lost: 0 };
    if (d.status === 'won') m.won++;
    else if (d.status === 'lost') m.lost++;
    months.set(month, m);
  }
  const byMonth = [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
  const won = closed.data.filter((d) => d.status === 'won');
  const currency = won[0]?.currency ?? 'USD';
  const avgWon = won.length ? won.reduce((s, d) => s + d.amount, 0) / won.length : null;
  const wonFromLeads = won.filter((d) => d.leadId).length;
  const steps =
    funnel.data && funnel.data.leads !== null
      ? [
          { step: 'Leads', n: funnel.data.leads },
          { step: 'Qualified', n: funnel.data.qualified ?? 0 },
          { step: 'Became deals', n: funnel.data.converted ?? 0 },
          { step: 'Won', n: wonFromLeads },
        ]
      : [];
  const perRep = new Map<string, number>();
  for (const a of activities.data ?? [])
    perRep.set(
      nameOf(a.ownerId) ?? 'Unassigned',
      (perRep.get(nameOf(a.ownerId) ?? 'Unassigned') ?? 0) + 1,
    );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <h2 className="mb-2 font-medium text-ink">Won and lost, last 12 months</h2>
        <p className="mb-2 text-sm text-ink-soft" data-testid="avg-deal">
          Average won deal: {avgWon === null ? '—' : formatMoney(avgWon, currency)} ({won.length}{' '}
          won)
        </p>
        <div className="h-56" data-testid="chart-won-lost">
          <ResponsiveContainer>
            <BarChart data={byMonth} onClick={() => void navigate('/deals')}>
              <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
              <XAxis dataKey="month" fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} />
              <Tooltip />
              <Legend />
              <Bar dataKey="won" name="Won" stackId="o" fill="#22c55e" />
              <Bar dataKey="lost" name="Lost" stackId="o" fill="#ef4444" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Card>
      <Card>
        <h2 className="mb-2 font-medium text-ink">Lead to won</h2>
        {steps.length === 0 ? (
          <p className="text-sm text-ink-soft">
            The funnel appears once leads are captured (web forms, imports or the API).
          </p>
        ) : (
          <div className="h-56" data-testid="chart-funnel">
            <ResponsiveContainer>
              <BarChart data={steps} layout="vertical">
                <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                <XAxis type="number" allowDecimals={false} fontSize={11} />
                <YAxis type="category" dataKey="step" width={100} fontSize={11} />
                <Tooltip />
                <Bar dataKey="n" name="Records" fill="#6366f1" />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </Card>
      <Card>
        <h2 className="mb-2 font-medium text-ink">Activities per rep this period</h2>
        {perRep.size === 0 ? (
          <p className="text-sm text-ink-soft">
            No calls, emails, meetings or notes logged in this period yet.
          </p>
        ) : (
          <div className="h-56" data-testid="chart-activities">
            <ResponsiveContainer>
              <BarChart data={[...perRep].map(([rep, n]) => ({ rep, n }))}>
                <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                <XAxis dataKey="rep" fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} />
                <Tooltip />
                <Bar dataKey="n" name="Activities" fill="#0ea5e9" />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </Card>
    </div>
  );
}
