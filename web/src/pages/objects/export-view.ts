/**
 * Downloads the current view of a list as CSV through the resource's export route, which takes
 * the same filters, search and sort as the list, plus the columns to write.
 */
import { toApiError } from '../../api/client';
import { BASE_URL, sessionFetch } from '../../api/http';
import type { ListParams } from '../../api/records';

/** The export route's query for a view: its list parameters, CSV, and the visible columns. */
export function exportParams(view: ListParams, columns: readonly string[]): URLSearchParams {
  const { limit: _limit, cursor: _cursor, count: _count, ...rest } = view;
  return new URLSearchParams({ ...rest, format: 'csv', columns: columns.join(',') });
}

/** Fetches the file (with the session's refresh) and hands it to the browser as a download. */
export async function downloadExport(resource: string, params: URLSearchParams): Promise<string> {
  const res = await sessionFetch(
    new Request(`${BASE_URL}/api/v1/${resource}/export?${params.toString()}`),
  );
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    throw toApiError(res.status, body, res.headers);
  }
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${resource}.csv`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  // The browser has taken the file by the next turn; the URL only holds memory after that.
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
  return name;
}
