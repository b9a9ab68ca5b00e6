import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, type Page } from '../../api/client';
import type { Forecast, Pipeline, PipelineBoard } from '../../api/types';
import { Card, EmptyState, Field, PageHeader, Select, Skeleton } from '../../components/ui';
import { formatMoney } from '../../lib/money';
import { useUsers } from '../../lib/use-users';
import { SalesHistory } from './sales-history';
import { MissingRates } from './missing-rates';

const toUnits = (minor: number) => Math.round(minor / 100);

function Stat({ label, value, onClick }: { label: string; value: string; onClick?: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="rounded-lg border border-line bg-panel p-4 text-left hover:border-accent"
      data-testid="stat"
    >
      <div className="text-xs text-ink-soft">{label}</div>
      <div className="mt-1 text-xl font-semibold text-ink">{value}</div>
    </button>
  );
}

/**
 * The sales manager's page: pipeline by stage, forecast against quota per owner, win rate by
 * stage and cycle length — for the period, owner and team chosen. Bars and numbers lead to the
 * deals behind them.
 */
export default function SalesDashboard() {
  const navigate = useNavigate();
  const [period, setPeriod] = useState<'month' | 'quarter'>('quarter');
  const [ownerId, setOwnerId] = useState('');
  const [teamId, setTeamId] = useState('');
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () =>
      api<Page<{ id: string; name: string; members: Array<{ userId: string }> }>>(
        'GET',
        '/teams?limit=200',
      ),
    retry: false,
  });
  const { users, nameOf } = useUsers();
  const forecast = useQuery({
    queryKey: ['forecast', period, ownerId, teamId],
    queryFn: () =>
      api<Forecast>(
        'GET',
        `/forecast?period=${period}${ownerId ? `&ownerId=${ownerId}` : ''}${teamId ? `&teamId=${teamId}` : ''}`,
      ),
  });
  const pipelines = useQuery({
    queryKey: ['pipelines'],
    queryFn: () => api<Page<Pipeline>>('GET', '/pipelines?limit=200'),
  });
  const pipelineId =
    pipelines.data?.data.find((p) => p.isDefault)?.id ?? pipelines.data?.data[0]?.id;
  const board = useQuery({
    queryKey: ['board', pipelineId, 'dashboard', ownerId],
    enabled: !!pipelineId,
    queryFn: () =>
      api<PipelineBoard>(
        'GET',
        `/pipelines/${pipelineId ?? ''}/board?limit=1${ownerId ? `&ownerId=${ownerId}` : ''}`,
      ),
  });
  if (forecast.isPending || board.isPending) return <Skeleton rows={10} />;
  if (!forecast.data || !board.data)
    return (
      <EmptyState
        title="No sales data yet"
        body="Deals appear here once they are created or converted from leads."
      />
    );
  const f = forecast.data;
  const cur = f.currency;
  const stagesOf = (kind: 'open' | 'won' | 'lost') =>
    board.data.stages
      .filter((c) => c.stage.kind === kind)
      .map((c) => c.stage.id)
      .join(',');
  const teamOwners = teamId
    ? (teams.data?.data.find((t) => t.id === teamId)?.members ?? []).map((m) => m.userId).join(',')
    : '';
  const owners0 = ownerId || teamOwners;
  /** The deal list behind a number: the same stages, owners and period as the number. */
  const listOf = (title: string, q: Record<string, string>) =>
    `/deals/list?${new URLSearchParams({ title, ...(owners0 ? { owners: owners0 } : {}), ...q }).toString()}`;
  const due = { expectedFrom: f.periodStart, expectedTo: f.periodEnd };
  const stages = board.data.stages.map((c) => ({
    stage: c.stage.name,
    id: c.stage.id,
    total: toUnits(c.total),
    weighted: toUnits(c.weighted),
    deals: c.count,
  }));
  const owners = f.owners.map((o) => ({
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
  const money = (v: number) => formatMoney(v * 100, cur, { compact: true });
  return (
    <div className="space-y-4">
      <PageHeader
        title="Sales"
        description={`${f.period === 'month' ? 'Month' : 'Quarter'} from ${f.periodStart}`}
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
      <MissingRates
        currencies={[...new Set([...f.missingRates, ...board.data.missingRates])].sort()}
      />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat
          label="Closed won"
          value={formatMoney(f.total.closedWon, cur)}
          onClick={() =>
            void navigate(
              listOf('Closed won this period', {
                stages: stagesOf('won'),
                closedFrom: f.periodStart,
                closedTo: f.periodEnd,
              }),
            )
          }
        />
        <Stat
          label="Commit"
          value={formatMoney(f.total.commit, cur)}
          onClick={() =>
            void navigate(
              listOf('Open deals due this period (commit: those at 70% or more)', {
                stages: stagesOf('open'),
                ...due,
              }),
            )
          }
        />
        <Stat
          label="Best case"
          value={formatMoney(f.total.bestCase, cur)}
          onClick={() =>
            void navigate(
              listOf('Open deals due this period', { stages: stagesOf('open'), ...due }),
            )
          }
        />
        <Stat
          label="Weighted pipeline"
          value={formatMoney(f.total.weightedPipeline, cur)}
          onClick={() =>
            void navigate(
              listOf('Open deals due this period', { stages: stagesOf('open'), ...due }),
            )
          }
        />
        <Stat
          label="Quota attainment"
          value={
            f.total.attainment === null ? 'no quota' : `${Math.round(f.total.attainment * 100)}%`
          }
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <h2 className="mb-2 font-medium text-ink">Pipeline by stage</h2>
          <div className="h-64" data-testid="chart-pipeline">
            <ResponsiveContainer>
              <BarChart
                data={stages}
                onClick={(e) => {
                  const id = stages[Number(e?.activeIndex ?? -1)]?.id;
                  if (id)
                    void navigate(
                      listOf(`Deals in ${stages.find((x) => x.id === id)?.stage ?? 'stage'}`, {
                        stages: id,
                      }),
                    );
                }}
              >
                <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                <XAxis dataKey="stage" fontSize={11} />
                <YAxis tickFormatter={money} fontSize={11} />
                <Tooltip formatter={(v) => money(Number(v))} />
                <Legend />
                <Bar dataKey="total" name="Total" fill="#6366f1" />
                <Bar dataKey="weighted" name="Weighted" fill="#22c55e" />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card>
          <h2 className="mb-2 font-medium text-ink">Forecast vs quota</h2>
          {owners.length === 0 ? (
            <p className="text-sm text-ink-soft">No deals due this period.</p>
          ) : (
            <div className="h-64" data-testid="chart-forecast">
              <ResponsiveContainer>
                <BarChart
                  data={owners}
                  onClick={(e) => {
                    const o = owners[Number(e?.activeIndex ?? -1)];
                    if (o?.id)
                      void navigate(
                        `/deals/list?${new URLSearchParams({ title: `${o.owner}: deals due this period`, owners: o.id, ...due }).toString()}`,
                      );
                  }}
                >
                  <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                  <XAxis dataKey="owner" fontSize={11} />
                  <YAxis tickFormatter={money} fontSize={11} />
                  <Tooltip formatter={(v) => money(Number(v))} />
                  <Legend />
                  <Bar dataKey="won" name="Closed won" fill="#22c55e" />
                  <Bar dataKey="commit" name="Commit" fill="#6366f1" />
                  <Bar dataKey="best" name="Best case" fill="#a5b4fc" />
                  {owners.length === 1 && owners[0]?.quota ? (
                    <ReferenceLine y={owners[0].quota} stroke="#ef4444" label="Quota" />
                  ) : null}
                  <Bar dataKey="quota" name="Quota" fill="#ef4444" />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
        <Card>
          <h2 className="mb-2 font-medium text-ink">Win rate by stage reached</h2>
          {rates.length === 0 ? (
            <p className="text-sm text-ink-soft">
              Win rates appear once deals that passed through a stage are won or lost.
            </p>
          ) : (
            <div className="h-56" data-testid="chart-winrate">
              <ResponsiveContainer>
                <BarChart data={rates}>
                  <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                  <XAxis dataKey="stage" fontSize={11} />
                  <YAxis unit="%" fontSize={11} domain={[0, 100]} />
                  <Tooltip />
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
              <dd className="text-lg text-ink">
                {f.averageSalesCycleDays === null ? '—' : `${f.averageSalesCycleDays} days`}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-ink-soft">Open deals</dt>
              <dd className="text-lg text-ink">{stages.reduce((n, s) => n + s.deals, 0)}</dd>
            </div>
            <div>
              <dt className="text-xs text-ink-soft">Forecast accuracy last period (weighted)</dt>
              <dd className="text-lg text-ink">
                {f.previousPeriodAccuracy.filter((a) => a.method === 'weighted' && a.error !== null)
                  .length
                  ? `${Math.round(100 * Math.abs(f.previousPeriodAccuracy.filter((a) => a.method === 'weighted').reduce((s, a) => s + (a.error ?? 0), 0) / Math.max(1, f.previousPeriodAccuracy.filter((a) => a.method === 'weighted').length)))}% off`
                  : 'no snapshot yet'}
              </dd>
            </div>
          </dl>
        </Card>
      </div>
      <SalesHistory owners={owners0} nameOf={nameOf} since={f.periodStart} />
    </div>
  );
}
