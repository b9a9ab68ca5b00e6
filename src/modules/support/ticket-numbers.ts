import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.js';

/**
 * Takes the next `count` ticket numbers of an organization (the first is #1). The upsert holds
 * the organization's counter row locked until `tx` ends, so concurrent creates wait for each
 * other rather than collide, and a create that rolls back returns its number: numbers stay
 * gapless. The unique (organization_id, number) key backs this up.
 */
export async function takeTicketNumbers(
  tx: Tx,
  organizationId: string,
  count = 1,
): Promise<number[]> {
  const row = await sql<{ last_number: number }>`
    insert into ticket_counters (organization_id, last_number) values (${organizationId}, ${count})
    on conflict (organization_id) do update set last_number = ticket_counters.last_number + ${count}
    returning last_number`.execute(tx);
  const last = Number(row.rows[0]?.last_number ?? count);
  return Array.from({ length: count }, (_, i) => last - count + 1 + i);
}
