import { sql } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { presentCompany, type Company } from './companies.js';
import { presentContact, type Contact } from './contacts.js';
import type { ContactsTables } from './schema.js';
import { ownerScopeSql } from '../records/index.js';

/** A set of records that look like the same person or company, and why. */
export interface DuplicateGroup<T> {
  reason:
    'same_email' | 'same_phone' | 'similar_name_same_company' | 'same_domain' | 'similar_name';
  key: string;
  records: T[];
}

const MAX_GROUPS = 100;

async function groupsOf(
  tx: Tx,
  query: ReturnType<
    typeof sql<{ reason: DuplicateGroup<unknown>['reason']; key: string; ids: string[] }>
  >,
) {
  return (await query.execute(tx)).rows;
}

/** Contacts sharing an email or a phone, or with near-identical names at the same company. */
export async function findContactDuplicates(ctx: Ctx): Promise<Array<DuplicateGroup<Contact>>> {
  authorize(ctx, 'contacts:read');
  return ctx.tx(async (tx) => {
    const live = sql`organization_id = ${ctx.organizationId} and deleted_at is null and merged_into is null and ${ownerScopeSql(ctx.actor, 'contacts:read')}`;
    const groups = await groupsOf(
      tx,
      sql`
      (select 'same_email' as reason, email as key, array_agg(id order by created_at) as ids from contacts where ${live} and email is not null group by email having count(*) > 1 limit ${MAX_GROUPS})
      union all
      (select 'same_phone', phone, array_agg(id order by created_at) from contacts where ${live} and phone is not null group by phone having count(*) > 1 limit ${MAX_GROUPS})
      union all
      (select 'similar_name_same_company', a.id::text || ':' || b.id::text, array[a.id, b.id]
        from contacts a join contacts b on a.organization_id = b.organization_id and a.company_id = b.company_id and a.id < b.id
        where a.organization_id = ${ctx.organizationId} and a.deleted_at is null and a.merged_into is null and b.deleted_at is null and b.merged_into is null
          and ${ownerScopeSql(ctx.actor, 'contacts:read', 'a.owner_id')} and ${ownerScopeSql(ctx.actor, 'contacts:read', 'b.owner_id')}
          and similarity(lower(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, '')), lower(coalesce(b.first_name, '') || ' ' || coalesce(b.last_name, ''))) > 0.5
          and coalesce(a.email, '') <> coalesce(b.email, '~')
        limit ${MAX_GROUPS})`,
    );
    const ids = [...new Set(groups.flatMap((g) => g.ids))];
    const rows = ids.length
      ? await tx
          .withTables<ContactsTables>()
          .selectFrom('contacts')
          .selectAll()
          .where('organization_id', '=', ctx.organizationId)
          .where('id', 'in', ids)
          .execute()
      : [];
    const byId = new Map(rows.map((r) => [r.id, presentContact(r)]));
    return groups.slice(0, MAX_GROUPS).map((g) => ({
      reason: g.reason,
      key: g.key,
      records: g.ids.flatMap((id) => byId.get(id) ?? []),
    }));
  });
}

/** Companies with near-identical names (domains are unique, so they cannot collide). */
export async function findCompanyDuplicates(ctx: Ctx): Promise<Array<DuplicateGroup<Company>>> {
  authorize(ctx, 'companies:read');
  return ctx.tx(async (tx) => {
    const groups = await groupsOf(
      tx,
      sql`select 'similar_name' as reason, a.id::text || ':' || b.id::text as key, array[a.id, b.id] as ids
        from companies a join companies b on a.organization_id = b.organization_id and a.id < b.id
        where a.organization_id = ${ctx.organizationId} and a.deleted_at is null and a.merged_into is null and b.deleted_at is null and b.merged_into is null
          and ${ownerScopeSql(ctx.actor, 'companies:read', 'a.owner_id')} and ${ownerScopeSql(ctx.actor, 'companies:read', 'b.owner_id')}
          and (similarity(lower(a.name), lower(b.name)) > 0.6 or word_similarity(lower(a.name), lower(b.name)) > 0.8 or word_similarity(lower(b.name), lower(a.name)) > 0.8)
        limit ${MAX_GROUPS}`,
    );
    const ids = [...new Set(groups.flatMap((g) => g.ids))];
    const rows = ids.length
      ? await tx
          .withTables<ContactsTables>()
          .selectFrom('companies')
          .selectAll()
          .where('organization_id', '=', ctx.organizationId)
          .where('id', 'in', ids)
          .execute()
      : [];
    const byId = new Map(rows.map((r) => [r.id, presentCompany(r)]));
    return groups.map((g) => ({
      reason: g.reason,
      key: g.key,
      records: g.ids.flatMap((id) => byId.get(id) ?? []),
    }));
  });
}
