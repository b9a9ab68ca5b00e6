import type { Prediction, ScoreReason } from '../../api/types';

/** How each state looks: a trained model is good news, a stale one needs attention. */
export const STATE_TONE: Record<Prediction['state'], 'neutral' | 'success' | 'danger'> = {
  collecting: 'neutral',
  trained: 'success',
  stale: 'danger',
};

/** The state in words a sales manager reads at a glance. */
export const STATE_LABEL: Record<Prediction['state'], string> = {
  collecting: 'Collecting outcomes',
  trained: 'Trained',
  stale: 'Stale',
};

/** A reason as a short chip: its label and signed points, "Source = Referral +18". */
export function reasonChip(reason: ScoreReason): string {
  const points = Math.round(reason.points);
  return `${reason.label} ${points >= 0 ? '+' : '−'}${Math.abs(points)}`;
}

/** Where a scored record opens: the built-in objects have their own pages under their plural. */
export function recordPath(objectType: string, recordId: string): string {
  return `/${objectType === 'company' ? 'companies' : `${objectType}s`}/${recordId}`;
}

/** A 0–1 rate as a percentage with one decimal; a dash when there is none. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A metric with three decimals (AUC, log loss, Brier); a dash when there is none. */
export function metric(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}
