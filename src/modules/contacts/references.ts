import { decide } from '../../platform/authz/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { ReferenceChecker, ReferenceCtx } from '../../platform/references/index.js';
import type { ContactsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<ContactsTables>();

/** Contacts and companies the actor may read (owner scope), neither in the trash nor merged into another. */
function ownedLookup(table: 'contacts' | 'companies', permission: string) {
  return async (
    ctx: ReferenceCtx,
    tx: Tx,
    ids: readonly string[],
  ): Promise<ReadonlySet<string>> => {
    const rows = await db(tx)
      .selectFrom(table)
      .select(['id', 'owner_id'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', 'in', ids)
      .where('deleted_at', 'is', null)
      .where('merged_into', 'is', null)
      .execute();
    return new Set(
      rows
        .filter((r) => decide(ctx.actor, permission, { ownerId: r.owner_id }).allowed)
        .map((r) => r.id),
    );
  };
}

/** The kinds of record the contacts module lets other records link to. */
export const contactsReferences: readonly ReferenceChecker[] = [
  { kind: 'contact', label: 'contact', lookup: ownedLookup('contacts', 'contacts:read') },
  { kind: 'company', label: 'company', lookup: ownedLookup('companies', 'companies:read') },
];
