import { z } from 'zod';
import { errors } from '../errors/index.js';

/** Shared pieces of request and response schemas (API.md). */
export const uuid = z.uuid();
export const idParams = z.object({ id: z.uuid() });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .union([
          z.array(z.object({ path: z.string(), message: z.string() })),
          z.record(z.string(), z.unknown()),
        ])
        .optional(),
      traceId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

/** `limit` (1–200, default 50), `cursor`, and `count=true` for a total. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  count: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

/** A list answer: `{ data, meta: { nextCursor, total? } }`. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    meta: z.object({ nextCursor: z.string().nullable(), total: z.number().int().optional() }),
  });

/** A page request as pageQuery parses it. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  count: boolean;
}

const allCursor = z.object({ at: z.number().int().min(0), id: z.string().nullable() });

/**
 * Pages a small collection that its service answers whole (roles, teams, pipelines, views…), so
 * that every list keeps API.md's `limit`, `cursor` and `count=true`. The cursor names the last
 * row's id and position: paging goes on after that row even when rows before it were removed.
 */
export function pageOfAll<T>(
  items: readonly T[],
  page: PageRequest,
  idOf: (item: T) => string | null = defaultId,
): { data: T[]; meta: { nextCursor: string | null; total?: number } } {
  const after = decodeCursor(page.cursor, allCursor);
  if (page.cursor && !after) throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  let start = after ? Math.min(after.at, items.length) : 0;
  if (after?.id !== null && after?.id !== undefined) {
    const found = items.findIndex((item) => idOf(item) === after.id);
    if (found >= 0) start = found + 1;
  }
  const data = items.slice(start, start + page.limit);
  const end = start + data.length;
  const last = data[data.length - 1];
  const nextCursor =
    end < items.length && last !== undefined ? encodeCursor({ at: end, id: idOf(last) }) : null;
  return { data, meta: { nextCursor, ...(page.count ? { total: items.length } : {}) } };
}

function defaultId(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const { id, key } = item as { id?: unknown; key?: unknown };
  return typeof id === 'string' ? id : typeof key === 'string' ? key : null;
}

/** Opaque cursors: base64url JSON of the sort key of the last row. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | null {
  if (!cursor) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A password policy shared by registration, reset and change. */
export const password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');
export const email = z
  .email('must be a valid email address')
  .max(254)
  .transform((v) => v.trim().toLowerCase());

/**
 * ISO 4217 codes as the runtime's ICU data knows them (Node 20: 160-odd, no test codes like XXX),
 * so the list follows the standard with each Node release instead of a hand-kept copy.
 */
export const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** Whether `code` is an ISO 4217 currency code (upper case). */
export const isIsoCurrency = (code: string): boolean => ISO_CURRENCIES.has(code);

/** An ISO 4217 currency code; accepted in any case, answered in upper case. */
export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isIsoCurrency, 'must be an ISO 4217 currency code such as USD or EUR')
  .meta({ description: 'ISO 4217 currency code', example: 'USD' });

/** Schemes a stored web address may use; `javascript:`, `data:` or `vbscript:` links run code when clicked. */
const WEB_SCHEMES = ['http', 'https'] as const;

/** Whether `value` is an absolute URL whose scheme is one of `schemes` (http(s) ones need a host). */
export function isSafeUrl(value: string, schemes: readonly string[] = WEB_SCHEMES): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (!schemes.includes(scheme)) return false;
  // `new URL('http:example.com')` guesses a host; a stored link must say `scheme://host` itself.
  return scheme === 'http' || scheme === 'https'
    ? /^https?:\/\/[^/?#\s]/i.test(value) && url.hostname !== ''
    : true;
}

/**
 * A link a person will click: trimmed, absolute, `http`/`https` only unless the field is a
 * `mailto:` or `tel:` one (`schemes`). Every URL field of every object uses this one schema.
 */
export const webUrl = (
  options: { max?: number; schemes?: readonly ('http' | 'https' | 'mailto' | 'tel')[] } = {},
) => {
  const schemes = options.schemes ?? WEB_SCHEMES;
  return z
    .string()
    .trim()
    .max(options.max ?? 2000)
    .refine((v) => isSafeUrl(v, schemes), `must be an ${schemes.join(' or ')} URL`)
    .meta({ format: 'uri' });
};
