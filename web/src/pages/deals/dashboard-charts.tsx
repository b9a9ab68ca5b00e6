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

interface BarSpec<T> {
  key: Extract<keyof T, string>;
  name: string;
  fill: string;
}

/** Money bars per category on a round-step axis; clicking a category opens its records. */
function MoneyBars<T extends object>({
  data,
  category,
  bars,
  currency,
  onOpen,
  testId,
}: {
  data: T[];
  category: Extract<keyof T, string>;
  bars: BarSpec<T>[];
  currency: string;
  onOpen: (item: T) => void;
  testId: string;
}) {
  const values = data.flatMap((d) => bars.map((b) => Number(d[b.key] ?? 0)));
  const axis = moneyAxis(Math.max(0, ...values), currency);
  return (
    <div className="h-64 text-ink-soft" data-testid={testId}>
      <ResponsiveContainer>
        <BarChart
          data={data}
          onClick={(e) => {
            const item = data[Number(e?.activeIndex ?? -1)];
            if (item) onOpen(item);
          }}
        >
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey={category as string} {...AXIS} />
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
          {bars.map((b) => (
            <Bar
              key={b.key}
              dataKey={b.key as string}
              name={b.name}
              fill={b.fill}
              cursor="pointer"
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

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
  return (
    <MoneyBars
      data={stages}
      category="stage"
      bars={[
        { key: 'total', name: 'Total', fill: '#6366f1' },
        { key: 'weighted', name: 'Weighted', fill: '#22c55e' },
      ]}
      currency={currency}
      onOpen={onOpen}
      testId="chart-pipeline"
    />
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
  const bars: BarSpec<OwnerBar>[] = [
    { key: 'won', name: 'Closed won', fill: '#22c55e' },
    { key: 'commit', name: 'Commit', fill: '#6366f1' },
    { key: 'best', name: 'Best case', fill: '#a5b4fc' },
  ];
  if (owners.some((o) => o.quota !== null))
    bars.push({ key: 'quota', name: 'Quota', fill: '#ef4444' });
  return (
    <MoneyBars
      data={owners}
      category="owner"
      bars={bars}
      currency={currency}
      onOpen={onOpen}
      testId="chart-forecast"
    />
  );
}
