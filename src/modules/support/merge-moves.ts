import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.js';
import type { Consumer } from '../../platform/context/index.js';
import { mergePayloadOf, type MergeEventPayload } from '../records/index.js';

/** Points the sources' tickets at the survivor, remembering each move for an undo. */
async function moveTickets(
  tx: Tx,
  org: string,
  kind: 'contact' | 'company',
  m: MergeEventPayload,
): Promise<void> {
  const column = sql.ref(kind === 'contact' ? 'contact_id' : 'company_id');
  await sql`insert into ticket_merge_moves (organization_id, merge_id, ticket_id, link, from_id)
    select organization_id, ${m.mergeId}, id, ${kind}, ${column} from tickets
    where organization_id = ${org} and ${column} = any(${m.sourceIds}::uuid[]) on conflict do nothing`.execute(
    tx,
  );
  await sql`update tickets set ${column} = ${m.survivorId} where organization_id = ${org} and ${column} = any(${m.sourceIds}::uuid[])`.execute(
    tx,
  );
}

/** Puts back what `moveTickets` moved for one merge (a redelivered undo finds nothing left to do). */
async function moveTicketsBack(tx: Tx, org: string, m: MergeEventPayload): Promise<void> {
  for (const [link, column] of [
    ['contact', 'contact_id'],
    ['company', 'company_id'],
  ] as const) {
    await sql`update tickets t set ${sql.ref(column)} = mv.from_id from ticket_merge_moves mv
      where mv.organization_id = ${org} and mv.merge_id = ${m.mergeId} and mv.link = ${link} and t.organization_id = mv.organization_id and t.id = mv.ticket_id`.execute(
      tx,
    );
  }
  await sql`delete from ticket_merge_moves where organization_id = ${org} and merge_id = ${m.mergeId}`.execute(
    tx,
  );
}

/**
 * A contact or company merge moves every relation to the survivor: the records module moves its
 * own, sales its deals, and this consumer the tickets. Undoing the merge moves them back.
 */
export const ticketMergeConsumer: Consumer = {
  name: 'support.merge-relations',
  types: ['contact.merged', 'company.merged', 'contact.merge_undone', 'company.merge_undone'],
  async handle(ctx, event) {
    const m = mergePayloadOf(event.payload);
    if (!m) return;
    const kind = event.type.startsWith('contact.') ? 'contact' : 'company';
    await ctx.tx((tx) =>
      event.type.endsWith('.merged')
        ? moveTickets(tx, ctx.organizationId, kind, m)
        : moveTicketsBack(tx, ctx.organizationId, m),
    );
  },
};
