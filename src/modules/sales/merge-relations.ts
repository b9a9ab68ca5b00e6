import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.js';
import type { Consumer } from '../../platform/context/index.js';
import { mergePayloadOf, type MergeEventPayload as MergePayload } from '../records/index.js';

/** Points the sources' deals at the survivor, remembering each move for an undo. */
async function moveDeals(
  tx: Tx,
  org: string,
  kind: 'contact' | 'company',
  m: MergePayload,
): Promise<void> {
  const column = sql.ref(kind === 'contact' ? 'contact_id' : 'company_id');
  await sql`insert into deal_merge_moves (organization_id, merge_id, deal_id, link, from_id)
    select organization_id, ${m.mergeId}, id, ${kind}, ${column} from deals
    where organization_id = ${org} and ${column} = any(${m.sourceIds}::uuid[]) on conflict do nothing`.execute(
    tx,
  );
  await sql`update deals set ${column} = ${m.survivorId} where organization_id = ${org} and ${column} = any(${m.sourceIds}::uuid[])`.execute(
    tx,
  );
  if (kind !== 'contact') return;
  await sql`insert into deal_merge_moves (organization_id, merge_id, deal_id, link, from_id, role)
    select organization_id, ${m.mergeId}, deal_id, 'deal_contact', contact_id, role from deal_contacts
    where organization_id = ${org} and contact_id = any(${m.sourceIds}::uuid[]) on conflict do nothing`.execute(
    tx,
  );
  // Survivor links the merge adds (not those it already had) are what an undo takes away.
  await sql`with added as (
      insert into deal_contacts (organization_id, deal_id, contact_id, role)
      select distinct on (deal_id) organization_id, deal_id, ${m.survivorId}::uuid, role from deal_contacts
      where organization_id = ${org} and contact_id = any(${m.sourceIds}::uuid[]) on conflict do nothing
      returning organization_id, deal_id)
    insert into deal_merge_moves (organization_id, merge_id, deal_id, link, from_id)
    select organization_id, ${m.mergeId}, deal_id, 'deal_contact_added', ${m.survivorId} from added`.execute(
    tx,
  );
  await sql`delete from deal_contacts where organization_id = ${org} and contact_id = any(${m.sourceIds}::uuid[])`.execute(
    tx,
  );
}

/** Puts back what `moveDeals` moved for one merge. */
async function moveDealsBack(tx: Tx, org: string, m: MergePayload): Promise<void> {
  await sql`update deals d set contact_id = mv.from_id from deal_merge_moves mv
    where mv.organization_id = ${org} and mv.merge_id = ${m.mergeId} and mv.link = 'contact' and d.organization_id = mv.organization_id and d.id = mv.deal_id`.execute(
    tx,
  );
  await sql`update deals d set company_id = mv.from_id from deal_merge_moves mv
    where mv.organization_id = ${org} and mv.merge_id = ${m.mergeId} and mv.link = 'company' and d.organization_id = mv.organization_id and d.id = mv.deal_id`.execute(
    tx,
  );
  await sql`insert into deal_contacts (organization_id, deal_id, contact_id, role)
    select mv.organization_id, mv.deal_id, mv.from_id, mv.role from deal_merge_moves mv
    join deals d on d.organization_id = mv.organization_id and d.id = mv.deal_id
    where mv.organization_id = ${org} and mv.merge_id = ${m.mergeId} and mv.link = 'deal_contact' on conflict do nothing`.execute(
    tx,
  );
  await sql`delete from deal_contacts dc using deal_merge_moves mv
    where mv.organization_id = ${org} and mv.merge_id = ${m.mergeId} and mv.link = 'deal_contact_added'
      and dc.organization_id = mv.organization_id and dc.deal_id = mv.deal_id and dc.contact_id = mv.from_id`.execute(
    tx,
  );
  await sql`delete from deal_merge_moves where organization_id = ${org} and merge_id = ${m.mergeId}`.execute(
    tx,
  );
}

/**
 * A contact or company merge moves "every relation" to the survivor: the records module does its
 * own, and this consumer does the deals'. Undoing the merge moves them back.
 */
export const mergeRelationsConsumer: Consumer = {
  name: 'sales.merge-relations',
  types: ['contact.merged', 'company.merged', 'contact.merge_undone', 'company.merge_undone'],
  async handle(ctx, event) {
    const m = mergePayloadOf(event.payload);
    if (!m) return;
    const kind = event.type.startsWith('contact.') ? 'contact' : 'company';
    await ctx.tx((tx) =>
      event.type.endsWith('.merged')
        ? moveDeals(tx, ctx.organizationId, kind, m)
        : moveDealsBack(tx, ctx.organizationId, m),
    );
  },
};
