import { Cron } from 'croner';

/** The same parsing the server's scheduler uses (platform/jobs/schedules.ts): five fields, or six with seconds first. */
const CRON_MODE = '5-or-6-parts';

/** Schedules people ask for most, to start from instead of writing cron by hand. */
export const CRON_PRESETS: ReadonlyArray<readonly [label: string, cron: string]> = [
  ['Every weekday at 09:00', '0 9 * * 1-5'],
  ['Every day at 08:00', '0 8 * * *'],
  ['Every Monday at 09:00', '0 9 * * 1'],
  ['First day of the month at 09:00', '0 9 1 * *'],
  ['Every hour, on the hour', '0 * * * *'],
  ['Every 15 minutes', '*/15 * * * *'],
];

/** Whether the browser knows an IANA time zone (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timezone: string): boolean {
  if (!timezone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** The time zones a select offers: the browser's IANA list, UTC first, plus the current value if it is unusual. */
export function timeZoneOptions(current: string): string[] {
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const list = ['UTC', ...zones.filter((z) => z !== 'UTC')];
  return current && !list.includes(current) ? [current, ...list] : list;
}

/** What is wrong with a cron pattern, in words (null when it fires). Mirrors the server's publish check. */
export function cronProblem(cron: string, timezone: string, now: Date = new Date()): string | null {
  if (cron.trim().length < 9)
    return 'needs five fields: minute hour day-of-month month weekday, e.g. 0 9 * * 1-5';
  try {
    const next = new Cron(cron, {
      timezone: isTimeZone(timezone) ? timezone : 'UTC',
      paused: true,
      mode: CRON_MODE,
    }).nextRun(now);
    return next ? null : 'never fires';
  } catch (e) {
    const reason =
      e instanceof Error ? e.message.replace(/^CronPattern: /, '') : 'not a cron pattern';
    return `is not a valid cron pattern: ${reason}`;
  }
}

/** The next `count` fire times after `from`, or none when the pattern or zone is not usable. */
export function nextFireTimes(
  cron: string,
  timezone: string,
  count: number,
  from: Date = new Date(),
): Date[] {
  if (cronProblem(cron, timezone, from) || !isTimeZone(timezone)) return [];
  return new Cron(cron, { timezone, paused: true, mode: CRON_MODE }).nextRuns(count, from);
}

/** A fire time as people read it in the schedule's zone: "Mon, 3 Jun 2024, 09:00". */
export function formatFireTime(at: Date, timezone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
