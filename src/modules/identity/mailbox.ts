import { sql } from 'kysely';
import { z } from 'zod';
import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import { decodeCursor, encodeCursor } from '../../platform/http/index.js';

/** One captured message in the list (the body is read one message at a time). */
export interface MailSummary {
  id: string;
  to: string;
  subject: string;
  createdAt: string;
}

/** What the dev mailbox list is asked for. */
export interface MailboxQuery {
  limit: number;
  cursor?: string;
  /** Answer `meta.total`, the count of matching messages. */
  count?: boolean;
  /** Only mail to this address (case-insensitive). */
  to?: string;
  /** Only mail whose subject contains this text (case-insensitive). */
  q?: string;
}

/** `%` and `_` match themselves in a LIKE pattern, as a person typing them means. */
const likeEscaped = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The dev mailbox: mail captured when no SMTP server is configured, newest first, paged by id
 * (UUIDv7, so id order is capture order) and filterable by recipient and subject. A dev mailbox
 * stays small enough that the case-insensitive filters need no index of their own.
 */
export async function listMailbox(
  ctx: Ctx,
  q: MailboxQuery,
): Promise<{ data: MailSummary[]; meta: { nextCursor: string | null; total?: number } }> {
  authorizeOrganizationWide(ctx, 'mailbox:read');
  const before = decodeCursor(q.cursor, z.uuid());
  if (q.cursor && before === null)
    throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  return ctx.tx(async (tx) => {
    let base = tx.selectFrom('mailbox').where('organization_id', '=', ctx.organizationId);
    if (q.to) base = base.where(sql<boolean>`lower(to_address) = ${q.to.toLowerCase()}`);
    if (q.q) base = base.where(sql<boolean>`subject ilike ${`%${likeEscaped(q.q)}%`}`);
    const total = q.count
      ? Number(
          (await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
        )
      : undefined;
    const rows = await (before ? base.where('id', '<', before) : base)
      .select(['id', 'to_address', 'subject', 'created_at'])
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => ({
        id: r.id,
        to: r.to_address,
        subject: r.subject,
        createdAt: r.created_at.toISOString(),
      })),
      meta: {
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null,
        ...(total !== undefined ? { total } : {}),
      },
    };
  });
}

/** One captured message with its bodies, or 404. */
export async function getMail(ctx: Ctx, id: string) {
  authorizeOrganizationWide(ctx, 'mailbox:read');
  const r = await ctx.tx((tx) =>
    tx
      .selectFrom('mailbox')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  if (!r) throw errors.notFound('Message');
  return {
    id: r.id,
    to: r.to_address,
    from: r.from_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    createdAt: r.created_at.toISOString(),
  };
}
