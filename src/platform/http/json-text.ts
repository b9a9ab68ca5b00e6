/**
 * A response body already serialized as JSON (e.g. built by PostgreSQL): the edge sends its text
 * as it is instead of parsing and stringifying every row again (issue 14: per-row CPU bounds lists).
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * A list answer (API.md: `{ data, meta }`) around items that are each one JSON object's text.
 * `meta` is small and built here, so only the rows skip `JSON.stringify`.
 */
export function jsonListText(
  items: readonly string[],
  meta: { nextCursor: string | null; total?: number },
): JsonText {
  return new JsonText(`{"data":[${items.join(',')}],"meta":${JSON.stringify(meta)}}`);
}
