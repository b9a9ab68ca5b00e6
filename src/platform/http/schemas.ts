import { z } from 'zod';

/** Shared pieces of request and response schemas (API.md). */
export const uuid = z.uuid();
export const idParams = z.object({ id: z.uuid() });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.union([z.array(z.object({ path: z.string(), message: z.string() })), z.record(z.string(), z.unknown())]).optional(),
      traceId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

/** `limit` (1–200, default 50), `cursor`, and `count=true` for a total. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  count: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});

/** A list answer: `{ data, meta: { nextCursor, total? } }`. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), meta: z.object({ nextCursor: z.string().nullable(), total: z.number().int().optional() }) });

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
export const password = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');
export const email = z
  .email('must be a valid email address')
  .max(254)
  .transform((v) => v.trim().toLowerCase());
