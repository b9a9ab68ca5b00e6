import { describe, expect, it } from 'vitest';
import { homeTaskParams, taskListParams } from './task-filters';

const NOW = new Date(2026, 11, 9, 14, 0); // Wednesday, 14:00 local
const local = (...a: [number, number, number]) => new Date(...a).toISOString();

describe('the task list requests per due filter', () => {
  it('asks for dated open tasks soonest first, then the undated ones', () => {
    const [dated, undated, none] = taskListParams('open', 'me', NOW, 1);
    expect(dated).toMatchObject({
      'filter[type]': 'task',
      'filter[status]': 'open',
      'filter[dueAt][isNull]': 'false',
      sort: 'dueAt',
      assignee: 'me',
    });
    expect(undated).toMatchObject({ 'filter[dueAt][isNull]': 'true', 'filter[status]': 'open' });
    expect(none).toBeUndefined();
  });

  it('bounds today and this week by local midnights, and overdue by now', () => {
    const [today] = taskListParams('today', 'team', NOW, 1);
    expect(today).toMatchObject({
      assignee: 'team',
      'filter[dueAt][gte]': local(2026, 11, 9),
      'filter[dueAt][lt]': local(2026, 11, 10),
    });
    const [week] = taskListParams('week', 'me', NOW, 0);
    expect(week?.['filter[dueAt][lt]']).toBe(local(2026, 11, 13)); // Sunday-first locale
    const [overdue] = taskListParams('overdue', 'me', NOW, 1);
    expect(overdue).toMatchObject({
      'filter[status]': 'open',
      'filter[dueAt][lt]': NOW.toISOString(),
    });
  });

  it('lists done tasks by when they were done, newest first, and never open ones', () => {
    const [done] = taskListParams('done', 'me', NOW, 1);
    expect(done).toMatchObject({ 'filter[status]': 'done', sort: '-doneAt' });
  });
});

describe("Home's task groups", () => {
  it('do not overlap: overdue before now, today until midnight, then seven days', () => {
    const p = homeTaskParams(NOW);
    expect(p.overdue['filter[dueAt][lt]']).toBe(NOW.toISOString());
    expect(p.today['filter[dueAt][gte]']).toBe(NOW.toISOString());
    expect(p.today['filter[dueAt][lt]']).toBe(local(2026, 11, 10));
    expect(p.upcoming['filter[dueAt][gte]']).toBe(local(2026, 11, 10));
    expect(p.upcoming['filter[dueAt][lt]']).toBe(local(2026, 11, 17));
    expect(p.overdue).toMatchObject({ assignee: 'me', 'filter[status]': 'open', count: 'true' });
  });
});
