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
import { moneyAxis } from './money-axis';

/** One open stage of the pipeline chart, amounts in whole currency units. */
export interface StageBar {
  id: string;
  stage: string;
  total: number;
  weighted: number;
  deals: number;
}

/** One owner of the forecast chart, amounts in whole currency units. */
export interface OwnerBar {
  id: string | null;
  owner: string;
  won: number;
  commit: number;
  best: number;
  quota: number | null;
}

const AXIS = { fontSize: 11, tick: { fill: 'currentColor' } } as const;
const TOOLTIP = {
  contentStyle: { background: 'var(--color-panel)', borderColor: 'var(--color-line)' },
  cursor: { fill: 'currentColor', opacity: 0.06 },
} as const;

/** Open stages only: won and lost deals are not pipeline. A bar opens the stage's deals. */
export function PipelineChart({
  stages,
  currency,
  onOpen,
}: {
  stages: StageBar[];
  currency: string;
  onOpen: (stage: StageBar) => void;
}) {
  const axis = moneyAxis(Math.max(0, ...stages.map((s) => s.total)), currency);
  return (
    <div className="h-64 text-ink-soft" data-testid="chart-pipeline">
      <ResponsiveContainer>
        <BarChart
          data={stages}
          onClick={(e) => {
            const stage = stages[Number(e?.activeIndex ?? -1)];
            if (stage) onOpen(stage);
          }}
        >
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="stage" {...AXIS} />
          <YAxis
            {...AXIS}
            ticks={axis.ticks}
            domain={axis.domain}
            interval={0}
            tickFormatter={axis.format}
            width={64}
          />
          <Tooltip {...TOOLTIP} formatter={(v) => axis.format(Number(v))} />
          {/* In the order the bars are drawn, not alphabetical (the default). */}
          <Legend itemSorter={null} />
          <Bar dataKey="total" name="Total" fill="#6366f1" cursor="pointer" />
          <Bar dataKey="weighted" name="Weighted" fill="#22c55e" cursor="pointer" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Closed won, commit and best case per owner, and the quota as a bar of its own — only when some
 * owner has one, so the legend never names a series that is not drawn.
 */
export function ForecastChart({
  owners,
  currency,
  onOpen,
}: {
  owners: OwnerBar[];
  currency: string;
  onOpen: (owner: OwnerBar) => void;
}) {
  const hasQuota = owners.some((o) => o.quota !== null);
  const axis = moneyAxis(
    Math.max(0, ...owners.flatMap((o) => [o.won, o.commit, o.best, o.quota ?? 0])),
    currency,
  );
  return (
    <div className="h-64 text-ink-soft" data-testid="chart-forecast">
      <ResponsiveContainer>
        <BarChart
          data={owners}
          onClick={(e) => {
            const owner = owners[Number(e?.activeIndex ?? -1)];
            if (owner) onOpen(owner);
          }}
        >
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="owner" {...AXIS} />
          <YAxis
            {...AXIS}
            ticks={axis.ticks}
            domain={axis.domain}
            interval={0}
            tickFormatter={axis.format}
            width={64}
          />
          <Tooltip {...TOOLTIP} formatter={(v) => axis.format(Number(v))} />
          {/* In the order the bars are drawn, not alphabetical (the default). */}
          <Legend itemSorter={null} />
          <Bar dataKey="won" name="Closed won" fill="#22c55e" cursor="pointer" />
          <Bar dataKey="commit" name="Commit" fill="#6366f1" cursor="pointer" />
          <Bar dataKey="best" name="Best case" fill="#a5b4fc" cursor="pointer" />
          {hasQuota ? <Bar dataKey="quota" name="Quota" fill="#ef4444" /> : null}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
