import type { ModelCard } from '../../api/types';
import { formatDate } from '../../components/ui';
import { metric, percent } from './prediction-words';

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-ink-soft">{label}</dt>
      <dd className="mt-0.5 font-medium tabular-nums text-ink" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** The card's numbers: held-out quality, the data it learned from, and when. */
export function ModelFacts({ card }: { card: ModelCard }) {
  return (
    <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="model-facts">
      <Fact label="AUC" value={metric(card.metrics?.auc)} />
      <Fact label="Log loss" value={metric(card.metrics?.logLoss)} />
      <Fact label="Brier score" value={metric(card.metrics?.brier)} />
      <Fact label="Held-out rows" value={card.metrics ? String(card.metrics.rows) : '—'} />
      <Fact
        label="Rows used"
        value={card.rowsUsed === null ? '—' : String(card.rowsUsed)}
        testId="rows-used"
      />
      <Fact label="Positive rate" value={percent(card.positiveRate)} />
      <Fact label="Method" value={card.method ?? 'Prior'} />
      <Fact
        label="Trained"
        value={card.trainedAt ? formatDate(card.trainedAt) : 'Never'}
        testId="trained-at"
      />
    </dl>
  );
}

/** While collecting: the prior's weights, so the scores are explainable before any model exists. */
export function PriorWeights({ prior }: { prior: NonNullable<ModelCard['prior']> }) {
  const rows = [
    ...Object.entries(prior.weights).map(([k, v]) => [`Weight: ${k}`, v.toFixed(2)]),
    ...Object.entries(prior.sourceQuality).map(([k, v]) => [`Source quality: ${k}`, v.toFixed(2)]),
    ['Engagement scale', String(prior.engagementScale)],
  ];
  return (
    <dl
      className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-3"
      data-testid="prior-weights"
    >
      {rows.map(([k, v]) => (
        <div key={k} className="flex justify-between gap-2 border-b border-line py-1">
          <dt className="text-ink-soft">{k}</dt>
          <dd className="tabular-nums text-ink">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
