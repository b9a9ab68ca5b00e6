import { describe, expect, it } from 'vitest';
import {
  addDays,
  endOfWeek,
  firstDayOfWeek,
  formatDuration,
  formatRelative,
  startOfDay,
} from './dates';

// Local-time dates: the helpers work in the reader's time zone, whatever the test machine's is.
const NOW = new Date(2026, 11, 9, 14, 0); // Wednesday 9 December 2026, 14:00

describe('relative due times', () => {
  const rel = (d: Date) => formatRelative(d.toISOString(), NOW, 'en');

  it('counts the clock within the day', () => {
    expect(rel(new Date(2026, 11, 9, 14, 0, 20))).toBe('now');
    expect(rel(new Date(2026, 11, 9, 14, 25))).toBe('in 25 minutes');
    expect(rel(new Date(2026, 11, 9, 17, 0))).toBe('in 3 hours');
    expect(rel(new Date(2026, 11, 9, 9, 0))).toBe('5 hours ago');
  });

  it('counts calendar days beyond it, so early tomorrow is "tomorrow"', () => {
    expect(rel(new Date(2026, 11, 10, 8, 0))).toBe('tomorrow');
    expect(rel(new Date(2026, 11, 8, 23, 0))).toBe('yesterday');
    expect(rel(new Date(2026, 11, 13, 9, 0))).toBe('in 4 days');
    expect(rel(new Date(2026, 11, 23, 9, 0))).toBe('in 2 weeks');
    expect(rel(new Date(2026, 9, 1, 9, 0))).toBe('2 months ago');
  });

  it('speaks the given locale', () => {
    expect(formatRelative(new Date(2026, 11, 10, 8).toISOString(), NOW, 'de')).toBe('morgen');
  });
});

describe('calendar arithmetic', () => {
  it('starts the day at local midnight and adds whole days', () => {
    expect(startOfDay(NOW)).toEqual(new Date(2026, 11, 9));
    expect(addDays(new Date(2026, 11, 30), 3)).toEqual(new Date(2027, 0, 2));
  });

  it('ends "this week" at the start of the next one, by the locale\'s first day', () => {
    expect(endOfWeek(NOW, 1)).toEqual(new Date(2026, 11, 14)); // Monday-first: next Monday
    expect(endOfWeek(NOW, 0)).toEqual(new Date(2026, 11, 13)); // Sunday-first: next Sunday
    // On the first day of the week itself, the week runs a full seven days.
    expect(endOfWeek(new Date(2026, 11, 14, 9), 1)).toEqual(new Date(2026, 11, 21));
  });

  it('knows a Sunday-first locale from a Monday-first one', () => {
    expect(firstDayOfWeek('en-US')).toBe(0);
    expect(firstDayOfWeek('de-DE')).toBe(1);
  });
});

describe('durations', () => {
  const MINUTE = 60_000;
  it('names the largest whole unit, singular or plural', () => {
    expect(formatDuration(59_999, 'en')).toBe('under a minute');
    expect(formatDuration(MINUTE, 'en')).toBe('1 minute');
    expect(formatDuration(59 * MINUTE, 'en')).toBe('59 minutes');
    expect(formatDuration(60 * MINUTE, 'en')).toBe('1 hour');
    expect(formatDuration(3 * 24 * 60 * MINUTE + 5 * 60 * MINUTE, 'en')).toBe('3 days');
  });
});
