/**
 * Dates and times in the reader's locale: the one place the app turns timestamps into words, so
 * every page writes "Dec 7, 2026, 9:30 AM" and "in 3 hours" the same way.
 */

const DAY = 86_400_000;

/** An instant as date and time ("Dec 7, 2026, 9:30 AM"); an em dash for none. */
export const formatDateTime = (iso: string | null): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** Midnight at the start of `date`'s day, local time. */
export function startOfDay(date: Date): Date {
  const d = new Date(date);
  d.setHours(0, 0, 0, 0);
  return d;
}

/** `date` moved by whole calendar days (local time, so a DST change does not shift the hour). */
export function addDays(date: Date, days: number): Date {
  const d = new Date(date);
  d.setDate(d.getDate() + days);
  return d;
}

/** Whole calendar days from `from`'s day to `to`'s day: tomorrow is 1 whatever the hour. */
function calendarDaysBetween(from: Date, to: Date): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY);
}

/**
 * When `iso` is relative to `now`, in words: "in 5 minutes", "3 hours ago", "tomorrow",
 * "in 4 days", "last month". Within a day it counts the clock; beyond, the calendar.
 */
export function formatRelative(iso: string, now: Date, locale?: string): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const then = new Date(iso);
  const ms = then.getTime() - now.getTime();
  const minutes = Math.round(ms / 60_000);
  if (Math.abs(minutes) < 1) return rtf.format(0, 'second');
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(ms / 3_600_000);
  if (Math.abs(hours) < 24 && calendarDaysBetween(now, then) === 0)
    return rtf.format(hours, 'hour');
  const days = calendarDaysBetween(now, then);
  if (Math.abs(days) < 7) return rtf.format(days, 'day');
  if (Math.abs(days) < 30) return rtf.format(Math.round(days / 7), 'week');
  if (Math.abs(days) < 365) return rtf.format(Math.round(days / 30), 'month');
  return rtf.format(Math.round(days / 365), 'year');
}

/**
 * How long something lasted, in words, in its largest whole unit: "4 minutes", "3 hours",
 * "12 days". Under a minute says so rather than counting seconds nobody compares.
 */
export function formatDuration(ms: number, locale?: string): string {
  const unit = (value: number, name: 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  if (ms < 60_000) return 'under a minute';
  if (ms < 3_600_000) return unit(Math.floor(ms / 60_000), 'minute');
  if (ms < DAY) return unit(Math.floor(ms / 3_600_000), 'hour');
  return unit(Math.floor(ms / DAY), 'day');
}

/** `Intl.Locale#getWeekInfo` (or the older `weekInfo` getter) where the browser has it. */
interface WeekInfoLocale {
  getWeekInfo?: () => { firstDay: number };
  weekInfo?: { firstDay: number };
}

/**
 * The first day of the week in `locale` as `Date#getDay` counts (0 Sunday … 6 Saturday): Sunday in
 * the US, Monday in most of Europe. Monday (ISO 8601) where the browser cannot tell.
 */
export function firstDayOfWeek(locale?: string): number {
  try {
    const info = new Intl.Locale(
      locale ?? globalThis.navigator?.language ?? 'en',
    ) as unknown as WeekInfoLocale;
    const firstDay = info.getWeekInfo?.().firstDay ?? info.weekInfo?.firstDay ?? 1;
    return firstDay % 7; // Intl counts 1 Monday … 7 Sunday.
  } catch {
    return 1;
  }
}

/** Midnight that starts the next week after `date`'s: the end of "this week". */
export function endOfWeek(date: Date, firstDay: number): Date {
  const ahead = (firstDay - date.getDay() + 7) % 7 || 7;
  return addDays(startOfDay(date), ahead);
}
