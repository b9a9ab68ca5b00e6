import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The board's filters, kept in the URL so a view can be linked, reloaded and toggled to the list
 * (which reads the same words, see deal-list-params.ts) without losing them. Empty means "not
 * filtered".
 */
export interface DealFilters {
  /** A pipeline id; the board falls back to the default pipeline, the list to every pipeline. */
  pipeline: string;
  /** Owner ids, comma-separated (the dashboard links a team as several). */
  owners: string;
  /** Search words, typos allowed. */
  q: string;
  /** Expected close date from (inclusive, YYYY-MM-DD). */
  closeFrom: string;
  /** Expected close date to (inclusive, YYYY-MM-DD). */
  closeTo: string;
}

/** The URL's deal filters and a setter that replaces one of them (no new history entry per keystroke). */
export function useDealFilters(): {
  filters: DealFilters;
  setFilter: (name: keyof DealFilters, value: string) => void;
  /** The current query string, to carry the filters across the board/list toggle. */
  search: string;
} {
  const [params, setParams] = useSearchParams();
  const setFilter = useCallback(
    (name: keyof DealFilters, value: string) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return {
    filters: {
      pipeline: params.get('pipeline') ?? '',
      owners: params.get('owners') ?? '',
      q: params.get('q') ?? '',
      closeFrom: params.get('closeFrom') ?? '',
      closeTo: params.get('closeTo') ?? '',
    },
    setFilter,
    search: params.toString(),
  };
}
