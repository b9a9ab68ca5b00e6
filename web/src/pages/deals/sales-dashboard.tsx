import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { teamsQuery } from '../../api/queries';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { Forecast } from '../../api/types';
import { Card, EmptyState, Field, PageHeader, Select, Skeleton } from '../../components/ui';
import { formatMoney } from '../../lib/money';
import { useUsers } from '../../lib/use-users';
import { ForecastChart, PipelineChart, type OwnerBar, type StageBar } from './dashboard-charts';
import { MissingRates } from './missing-rates';
import { SalesHistory } from './sales-history';
import { usePipelines } from './use-pipelines';

const toUnits = (minor: number) => Math.round(minor / 100);

/** Won and lost count since the beginning: they are what the pipeline turned into, not pipeline. */
const KIND_LABELS = { open: 'Open', won: 'Won', lost: 'Lost' } as const;

/** A number that opens the deals behind it. */
function Stat({ label, value, to }: { label: string; value: string; to: string }) {
  return (
    <Link
      to={to}
      className="rounded-lg border border-line bg-panel p-4 text-left hover:border-accent focus-visible:ring-2 focus-visible:ring-accent focus-visible:outline-none"
      data-testid="stat"
    >
      <div className="text-xs text-ink-soft">{label}</div>
      <div className="mt-1 text-xl font-semibold text-ink">{value}</div>
    </Link>
  );
}

/** How far off the weighted forecast of the last period was, on average over its owners. */
function weightedAccuracy(f: Forecast): string {
  const lines = f.previousPeriodAccuracy.filter((a) => a.method === 'weighted');
  if (!lines.some((a) => a.error !== null)) return 'no snapshot yet';
  const error = lines.reduce((s, a) => s + (a.error ?? 0), 0) / lines.length;
  return `${Math.round(100 * Math.abs(error))}% off`;
}

/**
 * The sales manager's page: pipeline by (open) stage with won and lost apart, forecast against
 * quota per owner, win rate by stage and cycle length — for the period, owner and team chosen.
 * Every number and bar opens the deals behind it.
 */
export default function SalesDashboard() {
  const navigate = useNavigate();
  const [period, setPeriod] = useState<'month' | 'quarter'>('quarter');
  const [ownerId, setOwnerId] = useState('');
  const [teamId, setTeamId] = useState('');
  const teams = useQuery({ ...teamsQuery, retry: false });
  const { users, nameOf } = useUsers();
  const forecastQuery = { period, ...(ownerId ? { ownerId } : {}), ...(teamId ? { teamId } : {}) };
  const forecast = useQuery({
    queryKey: keys.forecast(forecastQuery),
    queryFn: () => unwrap(http.GET('/api/v1/forecast', { params: { query: forecastQuery } })),
  });
  const { current: pipeline, isPending: pipelinesPending } = usePipelines();
  const pipelineId = pipeline?.id ?? '';
  const boardQuery = { limit: '1', ...(ownerId ? { ownerId } : {}) };
  const board = useQuery({
    queryKey: keys.board(pipelineId, boardQuery),
    enabled: !!pipelineId,
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/pipelines/{id}/board', {
          params: { path: { id: pipelineId }, query: { ...boardQuery, limit: 1 } },
        }),
      ),
  });
  if (forecast.isPending || pipelinesPending || (pipelineId && board.isPending))
    return <Skeleton rows={10} />;
  if (!forecast.data || !board.data)
    return (
      <EmptyState
        title="No sales data yet"
        body="Deals appear here once they are created or converted from leads."
      />
    );
  const f = forecast.data;
  const b = board.data;
  const cur = f.currency;
  const stagesOf = (kind: 'open' | 'won' | 'lost') =>
    b.stages
      .filter((c) => c.stage.kind === kind)
      .map((c) => c.stage.id)
      .join(',');
  const teamOwners = teamId
    ? (teams.data?.data.find((t) => t.id === teamId)?.members ?? []).map((m) => m.userId).join(',')
    : '';
  const owners0 = ownerId || teamOwners;
  /** The deal list behind a number: the same stages, owners and period, biggest deals first. */
  const listOf = (title: string, q: Record<string, string>) =>
    `/deals/list?${new URLSearchParams({ title, ...(owners0 ? { owners: owners0 } : {}), ...q, sort: '-amount' }).toString()}`;
  const due = { expectedFrom: f.periodStart, expectedTo: f.periodEnd };
  const openDue = listOf('Open deals due this period', { stages: stagesOf('open'), ...due });
  const closedWon = listOf('Closed won this period', {
    stages: stagesOf('won'),
    closedFrom: f.periodStart,
    closedTo: f.periodEnd,
  });
  const stages: StageBar[] = b.stages
    .filter((c) => c.stage.kind === 'open')
    .map((c) => ({
      stage: c.stage.name,
      id: c.stage.id,
      total: toUnits(c.total),
      weighted: toUnits(c.weighted),
      deals: c.count,
    }));
  const owners: OwnerBar[] = f.owners.map((o) => ({
    owner: nameOf(o.ownerId) ?? 'Unassigned',
    id: o.ownerId,
    won: toUnits(o.closedWon),
    commit: toUnits(o.commit),
    best: toUnits(o.bestCase),
    quota: o.quota === null ? null : toUnits(o.quota),
  }));
  const rates = f.winRateByStage.map((r) => ({
    stage: r.stageName,
    rate: r.winRate === null ? 0 : Math.round(r.winRate * 100),
    deals: r.closedDeals,
  }));
  const money = (minor: number) => formatMoney(minor, cur);
  return (
    <div className="space-y-4">
      <PageHeader
        title="Sales"
        description={`${f.period === 'month' ? 'Month' : 'Quarter'} from ${f.periodStart} · ${pipeline?.name ?? ''} pipeline`}
      />
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Period" id="dash-period">
          <Select
            id="dash-period"
            value={period}
            onChange={(e) => setPeriod(e.target.value === 'month' ? 'month' : 'quarter')}
          >
            <option value="month">This month</option>
            <option value="quarter">This quarter</option>
          </Select>
        </Field>
        <Field label="Owner" id="dash-owner">
          <Select id="dash-owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
            <option value="">Everyone I can see</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        </Field>
        {teams.data?.data.length ? (
          <Field label="Team" id="dash-team">
            <Select id="dash-team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">All teams</option>
              {teams.data.data.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
      </div>
      <MissingRates currencies={[...new Set([...f.missingRates, ...b.missingRates])].sort()} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat label="Closed won" value={money(f.total.closedWon)} to={closedWon} />
        <Stat
          label="Commit"
          value={money(f.total.commit)}
          to={listOf(
            'Open deals due this period (commit adds closed won to those at 70% or more)',
            {
              stages: stagesOf('open'),
              ...due,
            },
          )}
        />
        <Stat label="Best case" value={money(f.total.bestCase)} to={openDue} />
        <Stat label="Weighted pipeline" value={money(f.total.weightedPipeline)} to={openDue} />
        <Stat
          label="Quota attainment"
          value={
            f.total.attainment === null ? 'no quota' : `${Math.round(f.total.attainment * 100)}%`
          }
          to={closedWon}
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <h2 className="mb-2 font-medium text-ink">Open pipeline by stage</h2>
          <PipelineChart
            stages={stages}
            currency={cur}
            onOpen={(s) => void navigate(listOf(`Deals in ${s.stage}`, { stages: s.id }))}
          />
          <dl className="mt-3 grid grid-cols-3 gap-3 border-t border-line pt-3 text-sm">
            {(['open', 'won', 'lost'] as const).map((kind) => (
              <div key={kind}>
                <dt className="text-xs text-ink-soft">{KIND_LABELS[kind]}</dt>
                <dd>
                  <Link
                    to={listOf(`${KIND_LABELS[kind]} deals`, { stages: stagesOf(kind) })}
                    className="text-ink hover:text-accent"
                    data-testid={`pipeline-${kind}`}
                  >
                    <span className="font-semibold">{b.summary[kind].count}</span> ·{' '}
                    {formatMoney(b.summary[kind].total, cur, { compact: true })}
                  </Link>
                </dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card>
          <h2 className="mb-2 font-medium text-ink">Forecast vs quota</h2>
          {owners.length === 0 ? (
            <p className="text-sm text-ink-soft">No deals due this period.</p>
          ) : (
            <ForecastChart
              owners={owners}
              currency={cur}
              onOpen={(o) =>
                void navigate(
                  `/deals/list?${new URLSearchParams({ title: `${o.owner}: deals due this period`, ...(o.id ? { owners: o.id } : {}), ...due, sort: '-amount' }).toString()}`,
                )
              }
            />
          )}
        </Card>
        <Card>
          <h2 className="mb-2 font-medium text-ink">Win rate by stage reached</h2>
          {rates.length === 0 ? (
            <p className="text-sm text-ink-soft">
              Win rates appear once deals that passed through a stage are won or lost.
            </p>
          ) : (
            <div className="h-56 text-ink-soft" data-testid="chart-winrate">
              <ResponsiveContainer>
                <BarChart data={rates}>
                  <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                  <XAxis dataKey="stage" fontSize={11} tick={{ fill: 'currentColor' }} />
                  <YAxis
                    unit="%"
                    fontSize={11}
                    tick={{ fill: 'currentColor' }}
                    domain={[0, 100]}
                    ticks={[0, 25, 50, 75, 100]}
                  />
                  <Tooltip
                    contentStyle={{
                      background: 'var(--color-panel)',
                      borderColor: 'var(--color-line)',
                    }}
                  />
                  <Bar dataKey="rate" name="Won after reaching it" fill="#f59e0b" />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
        <Card>
          <h2 className="mb-2 font-medium text-ink">Velocity</h2>
          <dl className="grid grid-cols-2 gap-3 text-sm">
            <div>
              <dt className="text-xs text-ink-soft">Average sales cycle</dt>
              <dd className="text-lg">
                <Link
                  to={listOf('Won deals', { stages: stagesOf('won') })}
                  className="text-ink hover:text-accent"
                >
                  {f.averageSalesCycleDays === null ? '—' : `${f.averageSalesCycleDays} days`}
                </Link>
              </dd>
            </div>
            <div>
              <dt className="text-xs text-ink-soft">Open deals</dt>
              <dd className="text-lg">
                <Link
                  to={listOf('Open deals', { stages: stagesOf('open') })}
                  className="text-ink hover:text-accent"
                  data-testid="open-deals"
                >
                  {b.summary.open.count}
                </Link>
              </dd>
            </div>
            <div>
              <dt className="text-xs text-ink-soft">Forecast accuracy last period (weighted)</dt>
              <dd className="text-lg text-ink">{weightedAccuracy(f)}</dd>
            </div>
          </dl>
        </Card>
      </div>
      <SalesHistory owners={owners0} nameOf={nameOf} since={f.periodStart} />
    </div>
  );
}
