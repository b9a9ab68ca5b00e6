/** One row of the command palette: a record, a page or an action, in the order they show. */
export interface PaletteEntry {
  /** Unique among the rows; cmdk's selection is this value. */
  value: string;
  group: 'Records' | 'Go to' | 'Actions';
  label: string;
  hint?: string | undefined;
}

/** Whether every word of the query starts a word of the label ("sales dash" → "Sales dashboard"). */
export function matchesQuery(label: string, query: string): boolean {
  const words = label.toLowerCase().split(/[\s/-]+/);
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((q) => words.some((w) => w.startsWith(q)));
}

/**
 * The rows for a query, best first: records that search found (when the query is long enough to
 * search), then pages and actions whose names match. The first row is what Enter runs, so it must
 * be the best match — never a page that merely came first in the sidebar.
 */
export function paletteEntries(
  query: string,
  records: ReadonlyArray<{
    type: string;
    id: string;
    title: string;
    subtitle?: string | null | undefined;
  }>,
  pages: ReadonlyArray<{ path: string; label: string }>,
  actions: ReadonlyArray<{ key: string; label: string }>,
): PaletteEntry[] {
  const q = query.trim();
  const shown = <T extends { label: string }>(list: readonly T[]) =>
    q ? list.filter((i) => matchesQuery(i.label, q)) : list;
  const pageRows = shown(pages).map((p) => ({
    value: `page:${p.path}`,
    group: 'Go to' as const,
    label: p.label,
  }));
  const actionRows = shown(actions).map((a) => ({
    value: `action:${a.key}`,
    group: 'Actions' as const,
    label: a.label,
  }));
  const recordRows =
    q.length >= 2
      ? records.map((r) => ({
          value: `record:${r.type}:${r.id}`,
          group: 'Records' as const,
          label: r.title,
          hint: r.subtitle ?? r.type,
        }))
      : [];
  // A page named exactly like the query ("settings") beats a record that only contains it.
  const exact = pageRows.filter((p) => p.label.toLowerCase() === q.toLowerCase());
  const rest = pageRows.filter((p) => !exact.includes(p));
  return [...exact, ...recordRows, ...rest, ...actionRows];
}
