import { sigmoid } from './math.ts';
import { createRandom, normal } from './random.ts';
import type { FeatureSpec, SourceRecord } from './types.ts';

// Data with a known generating model, for tests and the benchmark: the true probability of each
// row is returned beside its outcome, so quality can be compared with the best any model can do.

/** Rows, their drawn outcomes and the true probabilities they were drawn from. */
export interface SyntheticData {
  rows: SourceRecord[];
  outcomes: boolean[];
  probabilities: number[];
  features: FeatureSpec[];
}

/** Standard normal columns `x0..`, outcome from a logistic model with the given coefficients. */
export function logisticData(
  n: number,
  coefficients: readonly number[],
  intercept: number,
  seed: number,
): SyntheticData {
  const random = createRandom(seed);
  const rows: SourceRecord[] = [];
  const outcomes: boolean[] = [];
  const probabilities: number[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, number> = {};
    let z = intercept;
    coefficients.forEach((w, j) => {
      const v = normal(random);
      row[`x${j}`] = v;
      z += w * v;
    });
    const p = sigmoid(z);
    rows.push(row);
    probabilities.push(p);
    outcomes.push(random() < p);
  }
  const features = coefficients.map((_, j) => ({ name: `x${j}`, kind: 'numeric' as const }));
  return { rows, outcomes, probabilities, features };
}

/** Two uniform columns whose signs' agreement decides the outcome: no linear model can see it. */
export function xorData(n: number, seed: number): SyntheticData {
  const random = createRandom(seed);
  const rows: SourceRecord[] = [];
  const outcomes: boolean[] = [];
  const probabilities: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    const p = sigmoid(a * b > 0 ? 2 : -2);
    rows.push({ a, b, noise: normal(random) });
    probabilities.push(p);
    outcomes.push(random() < p);
  }
  const features: FeatureSpec[] = ['a', 'b', 'noise'].map((name) => ({ name, kind: 'numeric' }));
  return { rows, outcomes, probabilities, features };
}

const SOURCES = ['Referral', 'Website', 'Event', 'Paid Ads', 'Cold Outreach', 'Partner'];
const SOURCE_EFFECT = [1.2, 0.3, 0.2, -0.4, -1.0, 0.8];
const INDUSTRIES = [
  'Software',
  'Retail',
  'Health',
  'Finance',
  'Education',
  'Logistics',
  'Media',
  'Energy',
];
const TAGS = ['enterprise', 'trial', 'newsletter', 'demo-requested', 'webinar'];
const NOISE_FIELDS = 22;
const DAY_MS = 86_400_000;

function pickIndex(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** One lead row and its true log-odds; the size × recency interaction is what trees can find. */
function leadRow(random: () => number, startMs: number, spanDays: number): [SourceRecord, number] {
  const source = pickIndex(random, SOURCES.length);
  const industry = pickIndex(random, INDUSTRIES.length);
  const employees = Math.round(Math.exp(2 + 2 * random() + normal(random)));
  const createdMs = startMs + random() * spanDays * DAY_MS;
  const daysSinceActivity = random() < 0.2 ? null : Math.floor(random() * 90);
  const emailsOpened = Math.floor(random() * 12);
  const hasPhone = random() < 0.6;
  const tags = TAGS.filter(() => random() < 0.25);
  const large = employees > 50;
  const recent = daysSinceActivity !== null && daysSinceActivity < 14;
  let z = -1.2 + (SOURCE_EFFECT[source] ?? 0) + 0.15 * emailsOpened + (hasPhone ? 0.4 : -0.2);
  z += industry === 0 ? 0.5 : industry === 1 ? -0.4 : 0;
  z += tags.includes('demo-requested') ? 0.9 : 0;
  z += daysSinceActivity === null ? -0.5 : -0.02 * daysSinceActivity;
  z += large && recent ? 1.5 : large || recent ? -0.3 : 0;
  const row: Record<string, unknown> = {
    source: SOURCES[source],
    industry: INDUSTRIES[industry],
    employees: random() < 0.1 ? null : employees,
    createdAt: new Date(createdMs).toISOString(),
    lastActivityAt:
      daysSinceActivity === null
        ? null
        : new Date(createdMs + daysSinceActivity * DAY_MS).toISOString(),
    daysSinceActivity,
    emailsOpened,
    hasPhone,
    tags,
  };
  for (let k = 0; k < NOISE_FIELDS; k++) row[`noise${k}`] = normal(random);
  return [row, z];
}

/** A lead-like table of 31 mixed fields (30 used): numeric, categorical, boolean, date and tags. */
export function leadData(n: number, seed: number): SyntheticData {
  const random = createRandom(seed);
  const startMs = Date.parse('2025-01-01T00:00:00Z');
  const rows: SourceRecord[] = [];
  const outcomes: boolean[] = [];
  const probabilities: number[] = [];
  for (let i = 0; i < n; i++) {
    const [row, z] = leadRow(random, startMs, 720);
    const p = sigmoid(z);
    rows.push(row);
    probabilities.push(p);
    outcomes.push(random() < p);
  }
  const features: FeatureSpec[] = [
    { name: 'source', kind: 'categorical' },
    { name: 'industry', kind: 'categorical' },
    { name: 'employees', kind: 'numeric' },
    { name: 'createdAt', kind: 'date' },
    { name: 'lastActivityAt', kind: 'date', excluded: true },
    { name: 'daysSinceActivity', kind: 'numeric' },
    { name: 'emailsOpened', kind: 'numeric' },
    { name: 'hasPhone', kind: 'boolean' },
    { name: 'tags', kind: 'tags' },
    ...Array.from({ length: NOISE_FIELDS }, (_, k) => ({
      name: `noise${k}`,
      kind: 'numeric' as const,
    })),
  ];
  return { rows, outcomes, probabilities, features };
}
