import { describe, expect, it } from 'vitest';
import {
  cronProblem,
  formatFireTime,
  isTimeZone,
  nextFireTimes,
  timeZoneOptions,
} from './cron-preview';

const FROM = new Date('2025-03-28T12:00:00Z'); // a Friday; Europe/Berlin moves to summer time on Sunday the 30th

describe('the schedule preview', () => {
  it("lists the next fire times in the schedule's zone, across a daylight saving change", () => {
    const times = nextFireTimes('0 9 * * 1-5', 'Europe/Berlin', 3, FROM);
    expect(times.map((t) => t.toISOString())).toEqual([
      '2025-03-31T07:00:00.000Z',
      '2025-04-01T07:00:00.000Z',
      '2025-04-02T07:00:00.000Z',
    ]);
    expect(times.map((t) => formatFireTime(t, 'Europe/Berlin', 'en-GB'))).toEqual([
      'Mon, 31 Mar 2025, 09:00',
      'Tue, 1 Apr 2025, 09:00',
      'Wed, 2 Apr 2025, 09:00',
    ]);
  });

  it('says what is wrong with a pattern, and previews nothing for it', () => {
    expect(cronProblem('0 9 * *', 'UTC', FROM)).toMatch(/five fields/);
    expect(cronProblem('0 25 * * *', 'UTC', FROM)).toMatch(/not a valid cron pattern/);
    expect(cronProblem('0 9 30 2 *', 'UTC', FROM)).toBe('never fires');
    expect(cronProblem('*/15 * * * *', 'UTC', FROM)).toBeNull();
    expect(nextFireTimes('0 25 * * *', 'UTC', 3, FROM)).toEqual([]);
    expect(nextFireTimes('0 9 * * *', 'Mars/Olympus', 3, FROM)).toEqual([]);
  });

  it('knows IANA zones and offers UTC first, keeping an unusual current value', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone(' ')).toBe(false);
    const options = timeZoneOptions('UTC');
    expect(options[0]).toBe('UTC');
    expect(options).toContain('America/New_York');
    expect(options.filter((z) => z === 'UTC')).toHaveLength(1);
    expect(timeZoneOptions('Etc/GMT+5')[0]).toBe('Etc/GMT+5');
  });
});
