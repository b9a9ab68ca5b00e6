/**
 * What each view of the task list asks the activities API for. Day boundaries are the reader's
 * local midnights, computed here: the server cannot know which time zone "today" means.
 */
import type { ListParams } from '../../api/records';
import { addDays, endOfWeek, startOfDay } from '../../lib/dates';

/** The due filters of the Tasks page, in the order its tabs show them. */
export const DUE_FILTERS = [
  { key: 'open', label: 'All open' },
  { key: 'overdue', label: 'Overdue' },
  { key: 'today', label: 'Today' },
  { key: 'week', label: 'This week' },
  { key: 'none', label: 'No date' },
  { key: 'done', label: 'Done' },
] as const;
export type DueFilter = (typeof DUE_FILTERS)[number]['key'];

/** Whose tasks: the caller's, or those of everyone in the caller's teams (`assignee=` on the API). */
export type TaskScope = 'me' | 'team';

export const isDueFilter = (v: string | null): v is DueFilter =>
  DUE_FILTERS.some((f) => f.key === v);

const TASK = { 'filter[type]': 'task' };
const OPEN = { ...TASK, 'filter[status]': 'open' };
const DATED = { 'filter[dueAt][isNull]': 'false', sort: 'dueAt' };
const UNDATED = { 'filter[dueAt][isNull]': 'true', sort: '-createdAt' };

/**
 * The list requests behind a filter, shown one after the other. "All open" is two: the dated tasks
 * soonest first, then the undated ones — one request sorted by due date would put the undated
 * first, since the list sorts an empty date before every other.
 */
export function taskListParams(
  filter: DueFilter,
  scope: TaskScope,
  now: Date,
  firstDay: number,
): ListParams[] {
  const today = startOfDay(now).toISOString();
  const mine = { assignee: scope };
  switch (filter) {
    case 'open':
      return [
        { ...OPEN, ...mine, ...DATED },
        { ...OPEN, ...mine, ...UNDATED },
      ];
    case 'overdue':
      return [{ ...OPEN, ...mine, 'filter[dueAt][lt]': now.toISOString(), sort: 'dueAt' }];
    case 'today':
      return [
        {
          ...OPEN,
          ...mine,
          'filter[dueAt][gte]': today,
          'filter[dueAt][lt]': addDays(startOfDay(now), 1).toISOString(),
          sort: 'dueAt',
        },
      ];
    case 'week':
      return [
        {
          ...OPEN,
          ...mine,
          'filter[dueAt][gte]': today,
          'filter[dueAt][lt]': endOfWeek(now, firstDay).toISOString(),
          sort: 'dueAt',
        },
      ];
    case 'none':
      return [{ ...OPEN, ...mine, ...UNDATED }];
    case 'done':
      return [{ ...TASK, ...mine, 'filter[status]': 'done', sort: '-doneAt' }];
  }
}

/** Where an open task stands on Home: disjoint groups, so no task shows twice. */
export type DueBucket = 'overdue' | 'today' | 'upcoming';

/**
 * Home's three lists of my open tasks: overdue (due before now), the rest of today, and the
 * next seven days after it.
 */
export function homeTaskParams(now: Date): Record<DueBucket, ListParams> {
  const tomorrow = addDays(startOfDay(now), 1);
  const base = { ...OPEN, assignee: 'me', sort: 'dueAt', count: 'true', limit: '5' };
  return {
    overdue: { ...base, 'filter[dueAt][lt]': now.toISOString() },
    today: {
      ...base,
      'filter[dueAt][gte]': now.toISOString(),
      'filter[dueAt][lt]': tomorrow.toISOString(),
    },
    upcoming: {
      ...base,
      'filter[dueAt][gte]': tomorrow.toISOString(),
      'filter[dueAt][lt]': addDays(tomorrow, 7).toISOString(),
    },
  };
}
