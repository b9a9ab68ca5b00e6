import { sql, type Expression, type SqlBool } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { matchesSql, rankText, type SearchProvider, type TextQuery } from '../records/index.js';
import { ticketScopeSql } from './ticket-access.js';

/** `q=` on the ticket list: every word of the subject (or the number) as a prefix; migration 0017's index. */
export const ticketSearchSql = (q: TextQuery): Expression<SqlBool> =>
  matchesSql('cerebro_words_tickets', q);

/** Rows read before ranking, as the other providers do. */
const CANDIDATES = 200;

interface TicketHitRow {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
}

async function candidates(ctx: Ctx, tx: Tx, query: TextQuery): Promise<TicketHitRow[]> {
  return (
    await sql<TicketHitRow>`
    select id, number, subject, status, priority from tickets
    where organization_id = ${ctx.organizationId} and deleted_at is null
      and ${ticketScopeSql(ctx.actor, 'tickets:read')} and ${matchesSql('cerebro_words_tickets', query, { limit: CANDIDATES })}
    limit ${CANDIDATES}`.execute(tx)
  ).rows;
}

/** Tickets in the global search (command palette): "#12 Printer on fire", with status and priority. */
export const TICKET_SEARCH: SearchProvider = {
  type: 'tickets',
  permission: 'tickets:read',
  search: async (ctx, tx, query, limit) =>
    (await candidates(ctx, tx, query))
      .map((r) => ({
        type: 'tickets',
        id: r.id,
        title: `#${r.number} ${r.subject}`,
        subtitle: `${r.status.replace('_', ' ')} · ${r.priority}`,
        score: rankText(query, `${r.number} ${r.subject}`, ''),
      }))
      .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
      .slice(0, limit),
};
