import { bandOf, DEFAULT_BANDS } from './model.ts';
import type { Reason, ScoreResult } from './types.ts';

/**
 * Until an organization has enough outcomes of each kind to learn from (the `collecting` state),
 * scores come from this documented rule of thumb instead of a trained model.
 */
export const MIN_OUTCOMES_PER_CLASS = 40;

/** Points each signal can add at most; they sum to 100. */
export const PRIOR_WEIGHTS = {
  /** Share of the profile's key fields that are filled in. */
  completeness: 35,
  /** Recent emails, calls, meetings, visits: saturating, so the tenth touch adds little. */
  engagement: 40,
  /** How promising the source usually is (see PRIOR_SOURCE_QUALITY). */
  source: 25,
} as const;

/** Quality of a source on 0–1; unknown sources get `default`. Keys are compared in lower case. */
export const PRIOR_SOURCE_QUALITY: Readonly<Record<string, number>> = {
  referral: 1,
  partner: 0.9,
  inbound: 0.8,
  website: 0.7,
  event: 0.6,
  webinar: 0.6,
  'paid ads': 0.4,
  'cold outreach': 0.3,
  import: 0.3,
  default: 0.4,
};

/** Engagement count at which the engagement signal reaches 1 − 1/e of its weight. */
export const PRIOR_ENGAGEMENT_SCALE = 5;

/** The signals the prior scorer reads. */
export interface PriorInput {
  /** Filled key fields divided by key fields, 0–1. */
  completeness: number;
  /** Count of engagements (emails, calls, meetings, site visits) in the recent window. */
  engagementCount: number;
  source: string | null;
}

/** Whether there are enough outcomes of each kind to train instead of using the prior. */
export function isReadyToTrain(outcomes: readonly boolean[]): boolean {
  const positives = outcomes.filter(Boolean).length;
  return Math.min(positives, outcomes.length - positives) >= MIN_OUTCOMES_PER_CLASS;
}

/** Scores a record by the weighted rule of thumb; reasons are each signal's points above or below its midpoint. */
export function priorScore(input: PriorInput): ScoreResult {
  const completeness = Math.min(
    1,
    Math.max(0, Number.isFinite(input.completeness) ? input.completeness : 0),
  );
  const count = Number.isFinite(input.engagementCount) ? Math.max(0, input.engagementCount) : 0;
  const engagement = 1 - Math.exp(-count / PRIOR_ENGAGEMENT_SCALE);
  const sourceKey = (input.source ?? '').trim().toLowerCase();
  const source = PRIOR_SOURCE_QUALITY[sourceKey] ?? PRIOR_SOURCE_QUALITY.default ?? 0;
  const parts: { field: string; label: string; value: number; weight: number }[] = [
    {
      field: 'completeness',
      label: `profile ${Math.round(completeness * 100)}% complete`,
      value: completeness,
      weight: PRIOR_WEIGHTS.completeness,
    },
    {
      field: 'engagement',
      label: `${count} engagements`,
      value: engagement,
      weight: PRIOR_WEIGHTS.engagement,
    },
    {
      field: 'source',
      label: `source = ${input.source ?? 'unknown'}`,
      value: source,
      weight: PRIOR_WEIGHTS.source,
    },
  ];
  const score = Math.round(parts.reduce((s, p) => s + p.weight * p.value, 0));
  // Each signal's reason is measured from its midpoint, so the reasons sum to score − 50.
  const reasons: Reason[] = parts.map((p) => ({
    field: p.field,
    label: p.label,
    points: Math.round(p.weight * (p.value - 0.5) * 10) / 10,
  }));
  return {
    probability: score / 100,
    score,
    band: bandOf(score, DEFAULT_BANDS),
    reasonsUp: reasons.filter((r) => r.points > 0).sort((a, b) => b.points - a.points),
    reasonsDown: reasons.filter((r) => r.points < 0).sort((a, b) => a.points - b.points),
  };
}
