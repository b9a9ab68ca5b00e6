/**
 * Tasks: activities of type `task`, read and written through the typed client. The list takes
 * the generic `filter[field][op]` keys, which the generated types cannot name, so they are sent
 * as they are spelled (like the record client does).
 */
import type { Page } from './client';
import { http, ifMatch, plainQuery, unwrap } from './http';
import type { ListParams } from './records';
import type { Activity } from './types';

/** A task as the API shows it (an activity whose `type` is `task`). */
export type Task = Activity;

/** The linked record of a new task, as the activity's link field names it. */
export type TaskLink = Partial<
  Record<'contactId' | 'companyId' | 'dealId' | 'leadId' | 'ticketId', string>
>;

/** What the new-task form sends. */
export interface NewTask {
  subject: string;
  /** ISO instant, or none for an undated task. */
  dueAt?: string | undefined;
  /** Defaults to the creator on the server. */
  assigneeId?: string | undefined;
  link?: TaskLink | undefined;
}

/** One page of tasks; `params` carries `filter[…]`, `sort`, `limit`, `cursor` and `assignee`. */
export const listTasks = (params: ListParams): Promise<Page<Task>> =>
  unwrap(
    http.GET('/api/v1/activities', {
      params: { query: params },
      querySerializer: plainQuery,
    }),
  );

/** Creates an open task. */
export const createTask = (input: NewTask): Promise<Task> =>
  unwrap(
    http.POST('/api/v1/activities', {
      body: {
        type: 'task',
        status: 'open',
        subject: input.subject,
        ...(input.dueAt ? { dueAt: input.dueAt } : {}),
        ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}),
        ...input.link,
      },
    }),
  );

/** Ticks a task off or opens it again; a stale `version` answers 412. */
export const setTaskDone = (task: Pick<Task, 'id' | 'version'>, done: boolean): Promise<Task> =>
  unwrap(
    http.PATCH('/api/v1/activities/{id}', {
      params: { path: { id: task.id } },
      // The route reads If-Match without declaring it, so it goes as a plain header.
      headers: ifMatch(task.version),
      body: { status: done ? 'done' : 'open' },
    }),
  );
