import type { Query } from '../../api/types';

/** What the dev mailbox is narrowed to: a recipient address and words of the subject. */
export interface MailboxFilters {
  to: string;
  subject: string;
}

/** Messages per page of the dev mailbox list. */
export const MAILBOX_PAGE = 50;

/** The list query of one page: the filters that are set, the cursor after the first page, and the total on the first. */
export function mailboxQuery(
  filters: MailboxFilters,
  cursor: string,
): NonNullable<Query<'/api/v1/mailbox', 'get'>> {
  const to = filters.to.trim();
  const q = filters.subject.trim();
  return {
    limit: MAILBOX_PAGE,
    ...(to ? { 'filter[to]': to } : {}),
    ...(q ? { q } : {}),
    ...(cursor ? { cursor } : { count: 'true' }),
  };
}
