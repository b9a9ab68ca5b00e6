import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button, EmptyState, PageHeader, Skeleton } from '../../components/ui';
import { useShortcut } from '../../lib/use-shortcut';
import { LoadProblem } from './load-problem';

/** The "New …" action of a settings list: a header button, and optionally a one-key shortcut. */
export interface NewAction {
  /** The header button's text, "New price list". */
  label: string;
  testId: string;
  onClick: () => void;
  /** A key that does the same ("n"), bound while the list is on screen. */
  shortcut?: string;
}

/** What the page says while the list has nothing in it. */
export interface EmptyCopy {
  title: string;
  body: string;
  /** The empty state's own button, which runs the New action ("Add your first product"). */
  actionLabel: string;
}

const noop = () => undefined;

/**
 * The frame every settings list page shares: the header with its New action, a skeleton while
 * the list loads, why it could not load (a 403 says who may open the page), the empty state, and
 * otherwise the page's own list. Dialogs mount once the list is there, empty or not, so the
 * empty state's button can open them.
 */
export function SettingsListPage<T>({
  title,
  description,
  list,
  whoMay,
  newAction,
  empty,
  loading = false,
  dialogs,
  children,
}: {
  title: string;
  description: string;
  list: UseQueryResult<{ data: T[] }>;
  /** Who may read this list, for the 403 message; without it the API's message says. */
  whoMay?: string | undefined;
  /** Absent when the viewer may not create; the header then has no button. */
  newAction?: NewAction | undefined;
  empty: EmptyCopy;
  /** Whether another query the page cannot be shown without is still loading. */
  loading?: boolean;
  dialogs?: ReactNode;
  /** The list itself, given its items (never empty). */
  children: (items: T[]) => ReactNode;
}) {
  const ready = list.isSuccess && !loading;
  useShortcut(
    newAction?.shortcut ?? '',
    newAction?.onClick ?? noop,
    ready && newAction?.shortcut !== undefined,
  );
  const header = (
    <PageHeader
      title={title}
      description={description}
      actions={
        newAction && ready ? (
          <Button data-testid={newAction.testId} onClick={newAction.onClick}>
            {newAction.label}
          </Button>
        ) : undefined
      }
    />
  );
  if (list.isError)
    return (
      <div>
        {header}
        <LoadProblem error={list.error} whoMay={whoMay} onRetry={() => void list.refetch()} />
      </div>
    );
  if (!ready)
    return (
      <div>
        {header}
        <Skeleton />
      </div>
    );
  const items = list.data.data;
  return (
    <div className="space-y-5">
      {header}
      {items.length === 0 ? (
        <EmptyState
          title={empty.title}
          body={empty.body}
          action={
            newAction ? <Button onClick={newAction.onClick}>{empty.actionLabel}</Button> : undefined
          }
        />
      ) : (
        children(items)
      )}
      {dialogs}
    </div>
  );
}
