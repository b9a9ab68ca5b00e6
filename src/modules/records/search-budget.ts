import { DomainError } from '../../platform/errors/index.js';

/**
 * The work one keystroke may cost. A typeahead answer later than this is worth less than the
 * next keystroke's, so PostgreSQL cancels the statement (`statement_timeout`; the embedded
 * database has no timer and relies on the client's abort alone) and search answers with what
 * its earlier pass found.
 */
export const SEARCH_STATEMENT_TIMEOUT_MS = 500;

/** Thrown between statements when the client went away: nothing more is worth computing. */
export class SearchAbandoned extends Error {
  override readonly name = 'SearchAbandoned';
  constructor() {
    super('The client went away before the search answered');
  }
}

/** Stops the search before its next statement once the request was aborted. */
export function stopIfAbandoned(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SearchAbandoned();
}

/** PostgreSQL's query_canceled: statement_timeout (or a cancel request) ended the statement. */
export const isStatementCancelled = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'code' in err && err.code === '57014';

/** No pass finished within the budget, so there is nothing to show yet: the next keystroke retries. */
export const searchTimedOut = () =>
  new DomainError('unavailable', 'SEARCH_TIMED_OUT', 'The search took too long; try again', {
    retryAfter: 1,
  });
