import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ModelCard } from '../../api/types';

const AXIS = { fontSize: 11, tick: { fill: 'currentColor' } } as const;
const TOOLTIP = {
  contentStyle: { background: 'var(--color-panel)', borderColor: 'var(--color-line)' },
  cursor: { fill: 'currentColor', opacity: 0.06 },
} as const;

/** What each field contributes to the model, largest first, as horizontal bars. */
export function ImportanceChart({ importance }: { importance: ModelCard['importance'] }) {
  const data = [...importance].sort((a, b) => b.importance - a.importance).slice(0, 10);
  return (
    <div className="h-64 text-ink-soft" data-testid="chart-importance">
      <ResponsiveContainer>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis type="number" {...AXIS} tickFormatter={(v: number) => v.toFixed(2)} />
          <YAxis type="category" dataKey="field" width={120} {...AXIS} />
          <Tooltip {...TOOLTIP} formatter={(v) => Number(v).toFixed(3)} />
          <Bar dataKey="importance" name="Importance" fill="#6366f1" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Predicted against observed rate per score bin, beside the diagonal a perfectly calibrated model
 * would follow; empty bins have no observed rate and leave a gap rather than a false zero.
 */
export function CalibrationChart({
  bins,
}: {
  bins: NonNullable<ModelCard['metrics']>['calibration'];
}) {
  const data = bins.map((b) => ({
    bin: `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`,
    predicted: b.meanPredicted,
    observed: b.observedRate,
    ideal: (b.from + b.to) / 2,
    count: b.count,
  }));
  const pct = (v: unknown) => `${Math.round(Number(v) * 100)}%`;
  return (
    <div className="h-64 text-ink-soft" data-testid="chart-calibration">
      <ResponsiveContainer>
        <LineChart data={data} margin={{ right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="bin" {...AXIS} />
          <YAxis domain={[0, 1]} tickFormatter={pct} width={48} {...AXIS} />
          <Tooltip {...TOOLTIP} formatter={pct} />
          <Legend itemSorter={null} />
          <Line dataKey="predicted" name="Predicted" stroke="#6366f1" dot />
          <Line dataKey="observed" name="Observed" stroke="#22c55e" dot connectNulls={false} />
          <Line
            dataKey="ideal"
            name="Perfect calibration"
            stroke="currentColor"
            strokeDasharray="4 4"
            dot={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
