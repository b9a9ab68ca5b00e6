/** What the dev mailbox is narrowed to: a recipient address and words of the subject. */
export interface MailboxFilters {
  to: string;
  subject: string;
}

/** Messages per page of the dev mailbox list. */
export const MAILBOX_PAGE = 50;

/** The list request for one page: the filters that are set, the cursor after the first page, and the total on the first. */
export function mailboxPath(filters: MailboxFilters, cursor: string): string {
  const params = new URLSearchParams({ limit: String(MAILBOX_PAGE) });
  if (filters.to.trim()) params.set('filter[to]', filters.to.trim());
  if (filters.subject.trim()) params.set('q', filters.subject.trim());
  if (cursor) params.set('cursor', cursor);
  else params.set('count', 'true');
  return `/mailbox?${params.toString()}`;
}
