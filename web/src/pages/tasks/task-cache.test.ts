import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../api/client';
import { keys } from '../../api/keys';
import type { Task } from '../../api/tasks';
import { patchTaskEverywhere } from './task-cache';

const task = (id: string): Task => ({
  id,
  type: 'task',
  subject: `Task ${id}`,
  body: null,
  status: 'open',
  dueAt: null,
  doneAt: null,
  remindAt: null,
  ownerId: null,
  assigneeId: null,
  contactId: null,
  companyId: null,
  dealId: null,
  leadId: null,
  ticketId: null,
  links: [],
  version: 1,
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
});
const page = (...ids: string[]): Page<Task> => ({
  data: ids.map(task),
  meta: { nextCursor: null },
});

describe('the optimistic change of a task in every cached list', () => {
  it('changes it in plain and paged lists alike and answers the lists as they were', () => {
    const qc = new QueryClient();
    const home = keys.tasks.list({ view: 'home' });
    const paged = keys.tasks.list({ view: 'pages' });
    qc.setQueryData(home, page('a', 'b'));
    qc.setQueryData(paged, { pages: [page('c'), page('a')], pageParams: ['', 'x'] });
    const before = patchTaskEverywhere(qc, 'a', { status: 'done' });
    const status = (p: Page<Task> | undefined, id: string) =>
      p?.data.find((t) => t.id === id)?.status;
    expect(status(qc.getQueryData<Page<Task>>(home), 'a')).toBe('done');
    expect(status(qc.getQueryData<Page<Task>>(home), 'b')).toBe('open');
    const pages = qc.getQueryData<{ pages: Array<Page<Task>> }>(paged)?.pages;
    expect(status(pages?.[1], 'a')).toBe('done');
    // Rolling back restores exactly the lists that were cached.
    for (const [key, data] of before) qc.setQueryData(key, data);
    expect(status(qc.getQueryData<Page<Task>>(home), 'a')).toBe('open');
  });
});
