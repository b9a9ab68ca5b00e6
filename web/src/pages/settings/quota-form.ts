import { z } from 'zod';

/** How long a quota runs. */
export type QuotaPeriod = 'month' | 'quarter';

/** The quota dialog's values: amounts typed in whole currency units, the target as `user:<id>` or `team:<id>`. */
export const quotaFormSchema = z.object({
  target: z.string().regex(/^(user|team):.+$/, 'Pick a user or a team'),
  period: z.enum(['month', 'quarter']),
  periodStart: z.iso.date('Pick a period'),
  amount: z
    .string()
    .trim()
    .min(1, 'Enter an amount')
    .refine((v) => Number.isFinite(Number(v)) && Number(v) > 0, 'Must be a positive amount')
    .refine((v) => /^\d+(\.\d{1,2})?$/.test(v), 'At most two decimals, no separators'),
});
export type QuotaFormValues = z.infer<typeof quotaFormSchema>;

const pad = (n: number) => String(n).padStart(2, '0');

/** The first day of the period that holds `day`, as `YYYY-MM-DD` (quarters start in Jan, Apr, Jul, Oct). */
export function periodStartOf(period: QuotaPeriod, day: Date): string {
  const month = day.getUTCMonth();
  const first = period === 'month' ? month : month - (month % 3);
  return `${day.getUTCFullYear()}-${pad(first + 1)}-01`;
}

/**
 * The periods a quota can be set for: `before` periods back and `after` ahead of the one holding
 * `today`, oldest first. Only 1sts of months (or quarters) are offered, which is what the API accepts.
 */
export function periodStarts(
  period: QuotaPeriod,
  today: Date,
  before: number,
  after: number,
): string[] {
  const step = period === 'month' ? 1 : 3;
  const [year, month] = periodStartOf(period, today).split('-').map(Number);
  const base = (year ?? 1970) * 12 + (month ?? 1) - 1;
  const starts: string[] = [];
  for (let i = -before; i <= after; i++) {
    const m = base + i * step;
    starts.push(`${Math.floor(m / 12)}-${pad((m % 12) + 1)}-01`);
  }
  return starts;
}

/** A period as people say it: "Q2 2026" or "April 2026". */
export function periodLabel(period: QuotaPeriod, periodStart: string): string {
  const [year, month] = periodStart.split('-').map(Number);
  if (year === undefined || month === undefined) return periodStart;
  if (period === 'quarter') return `Q${Math.floor((month - 1) / 3) + 1} ${year}`;
  const name = new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en', {
    month: 'long',
    timeZone: 'UTC',
  });
  return `${name} ${year}`;
}

/** A typed amount in whole units as minor units (cents), without float drift ("19.99" → 1999). */
export function toMinorUnits(amount: string): number {
  const [whole = '0', fraction = ''] = amount.trim().split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

/** Minor units as the dialog shows them for editing (1999 → "19.99", 5000000 → "50000"). */
export function fromMinorUnits(minor: number): string {
  const whole = Math.floor(minor / 100);
  const cents = minor % 100;
  return cents === 0 ? String(whole) : `${whole}.${pad(cents)}`;
}

/** The quota's body fields for a target picked as `user:<id>` or `team:<id>`. */
export function targetOf(target: string): { userId: string } | { teamId: string } {
  const [kind, ...rest] = target.split(':');
  const id = rest.join(':');
  return kind === 'team' ? { teamId: id } : { userId: id };
}
