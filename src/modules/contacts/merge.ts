import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import { moveLinks } from '../records/index.js';
import { companyColumns, loadCompany, presentCompany, type Company } from './companies.js';
import { contactColumns, loadContact, presentContact, type Contact } from './contacts.js';
import type { RecordsTables } from '../records/schema.js';
import type { ContactsTables } from './schema.js';

/** How long a merge can be undone. */
export const MERGE_UNDO_DAYS = 30;

type Kind = 'contact' | 'company';

/** A related table whose rows point at a merged record and follow it to the survivor. */
export interface MergeRelation {
  table: string;
  column: string;
}

const RELATIONS: Record<Kind, MergeRelation[]> = {
  contact: [],
  company: [
    { table: 'contacts', column: 'company_id' },
    { table: 'companies', column: 'parent_id' },
  ],
};

/** The key in `merges.moved` of the activities whose links followed a source (`activity_links.contact`). */
const LINKS_MOVED = 'activity_links.';

/** Modules with tables that reference contacts or companies (deals, tickets…) register them here. */
export function registerMergeRelation(kind: Kind, relation: MergeRelation): void {
  RELATIONS[kind].push(relation);
}

const CONTACT_FIELDS = [
  'firstName',
  'lastName',
  'emails',
  'phones',
  'title',
  'companyId',
  'ownerId',
  'status',
  'source',
  'tags',
  'address',
  'socialProfiles',
  'emailConsent',
  'customFields',
] as const;
const COMPANY_FIELDS = [
  'name',
  'domain',
  'industry',
  'size',
  'annualRevenue',
  'website',
  'phone',
  'address',
  'ownerId',
  'parentId',
  'customFields',
] as const;
/** Lists are combined (survivor's entries first) unless the caller picks one record's list. */
const UNION_FIELDS = new Set(['emails', 'phones', 'tags']);

/** Input of a merge: the records merged into the survivor, and which record's value wins per field. */
export interface MergeInput {
  sourceIds: string[];
  fields?: Record<string, string>;
}

const isEmpty = (v: unknown) =>
  v === null ||
  v === undefined ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

function unionBy<T>(lists: T[][], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return lists.flat().filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}

/** The survivor's field values after the merge: chosen per field, else survivor first, else the first source that has one. */
function mergedValues(
  kind: Kind,
  records: Array<Contact | Company>,
  choices: Record<string, string>,
): Record<string, unknown> {
  const [survivor] = records;
  const fields = kind === 'contact' ? CONTACT_FIELDS : COMPANY_FIELDS;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const pick = choices[f];
    const valueOf = (r: Contact | Company) => (r as unknown as Record<string, unknown>)[f];
    if (pick) {
      const chosen = records.find((r) => r.id === pick);
      if (!chosen)
        throw errors.validation([
          { path: `fields.${f}`, message: 'must be the id of the survivor or one of the sources' },
        ]);
      out[f] = valueOf(chosen);
    } else if (UNION_FIELDS.has(f)) {
      const lists = records.map((r) => (valueOf(r) as unknown[] | null) ?? []);
      out[f] =
        f === 'tags'
          ? [...new Set(lists.flat() as string[])]
          : unionBy(
              lists as Array<Array<{ email?: string; number?: string; primary: boolean }>>,
              (e) => e.email ?? e.number ?? '',
            ).map((e, i) => ({ ...e, primary: i === 0 }));
    } else if (f === 'customFields') {
      out[f] = Object.assign({}, ...[...records].reverse().map((r) => r.customFields));
    } else {
      out[f] =
        [survivor, ...records.slice(1)]
          .map((r) => (r ? valueOf(r) : undefined))
          .find((v) => !isEmpty(v)) ?? (survivor ? valueOf(survivor) : null);
    }
  }
  for (const k of Object.keys(choices))
    if (!(fields as readonly string[]).includes(k))
      throw errors.validation([{ path: `fields.${k}`, message: 'is not a mergeable field' }]);
  return out;
}

async function loadAny(ctx: Ctx, tx: Tx, kind: Kind, id: string): Promise<Contact | Company> {
  return kind === 'contact'
    ? presentContact(await loadContact(ctx, tx, id, { forUpdate: true }))
    : presentCompany(await loadCompany(ctx, tx, id, { forUpdate: true }));
}

async function writeSurvivor(
  ctx: Ctx,
  tx: Tx,
  kind: Kind,
  id: string,
  values: Record<string, unknown>,
  version: number,
): Promise<Contact | Company> {
  const table = kind === 'contact' ? 'contacts' : 'companies';
  const columns =
    kind === 'contact'
      ? contactColumns(values, values.customFields as Record<string, unknown>)
      : companyColumns(
          values,
          values.domain as string | null,
          values.customFields as Record<string, unknown>,
        );
  const row = await tx
    .withTables<RecordsTables & ContactsTables>()
    .updateTable(table as 'contacts')
    .set({ ...(columns as Record<string, never>), version: version + 1, updated_at: new Date() })
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return kind === 'contact' ? presentContact(row) : presentCompany(row as never);
}

/**
 * Merges sources into a survivor in one transaction: the survivor keeps the chosen values,
 * every related row moves to it, the sources are marked merged (reads of them answer
 * RECORD_MERGED), and what changed is kept so the merge can be undone for 30 days.
 */
export async function mergeRecords(
  ctx: Ctx,
  kind: Kind,
  survivorId: string,
  input: MergeInput,
): Promise<{ mergeId: string; survivor: Contact | Company }> {
  const resource = kind === 'contact' ? 'contacts' : 'companies';
  const sourceIds = [...new Set(input.sourceIds)];
  if (sourceIds.includes(survivorId))
    throw errors.validation([
      { path: 'sourceIds', message: 'must not include the surviving record' },
    ]);
  return ctx.tx(async (tx) => {
    const survivor = await loadAny(ctx, tx, kind, survivorId);
    authorize(ctx, `${resource}:update`, { ownerId: survivor.ownerId });
    const sources: Array<Contact | Company> = [];
    for (const [i, id] of sourceIds.entries()) {
      try {
        const s = await loadAny(ctx, tx, kind, id);
        authorize(ctx, `${resource}:delete`, { ownerId: s.ownerId });
        sources.push(s);
      } catch (e) {
        if (e instanceof DomainError && e.kind === 'not_found')
          throw unknownReferences([
            { path: `sourceIds.${i}`, message: unknownReferenceMessage(kind) },
          ]);
        throw e;
      }
    }
    const before = Object.fromEntries(
      Object.entries(survivor as unknown as Record<string, unknown>),
    );
    const values = mergedValues(kind, [survivor, ...sources], input.fields ?? {});
    const moved: Record<string, Record<string, string[]>> = {};
    const table = kind === 'contact' ? 'contacts' : 'companies';
    for (const s of sources) {
      // Mark the source first: it frees its unique domain for the survivor.
      await sql`update ${sql.table(table)} set merged_into = ${survivorId}, version = version + 1 where organization_id = ${ctx.organizationId} and id = ${s.id}`.execute(
        tx,
      );
      const perSource: Record<string, string[]> = {};
      for (const rel of RELATIONS[kind]) {
        const rows = await sql<{
          id: string;
        }>`update ${sql.table(rel.table)} set ${sql.ref(rel.column)} = ${survivorId}
          where organization_id = ${ctx.organizationId} and ${sql.ref(rel.column)} = ${s.id} and id <> ${survivorId} returning id`.execute(
          tx,
        );
        if (rows.rows.length) perSource[`${rel.table}.${rel.column}`] = rows.rows.map((r) => r.id);
      }
      const activities = await moveLinks(tx, ctx.organizationId, kind, s.id, survivorId);
      if (activities.length) perSource[`${LINKS_MOVED}${kind}`] = activities;
      moved[s.id] = perSource;
    }
    const after = await writeSurvivor(ctx, tx, kind, survivorId, values, survivor.version);
    const mergeId = uuidv7();
    await tx
      .withTables<RecordsTables & ContactsTables>()
      .insertInto('merges')
      .values({
        organization_id: ctx.organizationId,
        id: mergeId,
        object_type: kind,
        survivor_id: survivorId,
        source_ids: sourceIds,
        survivor_before: JSON.stringify(before),
        survivor_after: JSON.stringify(after),
        moved: JSON.stringify(moved),
        actor_id: ctx.actor.userId,
      })
      .execute();
    await ctx.audit(tx, {
      action: `${kind}.merged`,
      targetType: kind,
      targetId: survivorId,
      diff: { mergeId, sourceIds, fields: input.fields ?? {} },
    });
    await ctx.emit(tx, {
      type: `${kind}.merged`,
      aggregateType: kind,
      aggregateId: survivorId,
      payload: { mergeId, survivorId, sourceIds },
    });
    return { mergeId, survivor: after };
  });
}

/**
 * Undoes a merge: the sources come back with their own values and relations, and the survivor's
 * fields that the merge set (and nobody changed since) return to their earlier values.
 */
export async function undoMerge(
  ctx: Ctx,
  mergeId: string,
): Promise<{ survivor: Contact | Company; restoredIds: string[] }> {
  return ctx.tx(async (tx) => {
    const m = await tx
      .withTables<RecordsTables & ContactsTables>()
      .selectFrom('merges')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', mergeId)
      .forUpdate()
      .executeTakeFirst();
    if (!m) throw errors.notFound('Merge');
    const kind = m.object_type;
    const resource = kind === 'contact' ? 'contacts' : 'companies';
    const current = await loadAny(ctx, tx, kind, m.survivor_id);
    authorize(ctx, `${resource}:update`, { ownerId: current.ownerId });
    if (m.undone_at)
      throw errors.conflict('RECORDS_MERGE_ALREADY_UNDONE', 'This merge was already undone');
    if (Date.now() - m.created_at.getTime() > MERGE_UNDO_DAYS * 86_400_000)
      throw new DomainError(
        'rule_violated',
        'RECORDS_MERGE_UNDO_EXPIRED',
        `Merges can be undone for ${MERGE_UNDO_DAYS} days`,
      );
    const table = kind === 'contact' ? 'contacts' : 'companies';
    // The merge needed delete on each source; bringing them back needs it too, within scope.
    const sources = await sql<{ owner_id: string | null }>`select owner_id from ${sql.table(table)}
      where organization_id = ${ctx.organizationId} and id in (${sql.join(m.source_ids.map((id) => sql`${id}::uuid`))})`.execute(
      tx,
    );
    for (const source of sources.rows)
      authorize(ctx, `${resource}:delete`, { ownerId: source.owner_id });
    for (const sourceId of m.source_ids) {
      for (const [relation, ids] of Object.entries(m.moved[sourceId] ?? {})) {
        if (relation.startsWith(LINKS_MOVED)) {
          await moveLinks(
            tx,
            ctx.organizationId,
            relation.slice(LINKS_MOVED.length),
            m.survivor_id,
            sourceId,
            ids,
          );
          continue;
        }
        const [relTable = '', column = ''] = relation.split('.');
        await sql`update ${sql.table(relTable)} set ${sql.ref(column)} = ${sourceId}
          where organization_id = ${ctx.organizationId} and id in (${sql.join(ids.map((id) => sql`${id}::uuid`))}) and ${sql.ref(column)} = ${m.survivor_id}`.execute(
          tx,
        );
      }
    }
    const fields = kind === 'contact' ? CONTACT_FIELDS : COMPANY_FIELDS;
    const now = current as unknown as Record<string, unknown>;
    const revert: Record<string, unknown> = {};
    for (const f of fields) {
      const untouchedSince =
        JSON.stringify(now[f] ?? null) === JSON.stringify(m.survivor_after[f] ?? null);
      if (untouchedSince) revert[f] = m.survivor_before[f] ?? null;
    }
    const survivor = await writeSurvivor(
      ctx,
      tx,
      kind,
      m.survivor_id,
      { ...now, ...revert },
      current.version,
    );
    // The sources return last, once the survivor gave back their unique values (a company's domain).
    await sql`update ${sql.table(table)} set merged_into = null, version = version + 1 where organization_id = ${ctx.organizationId} and id in (${sql.join(m.source_ids.map((id) => sql`${id}::uuid`))})`.execute(
      tx,
    );
    await tx
      .withTables<RecordsTables & ContactsTables>()
      .updateTable('merges')
      .set({ undone_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', mergeId)
      .execute();
    await ctx.audit(tx, {
      action: `${kind}.merge_undone`,
      targetType: kind,
      targetId: m.survivor_id,
      diff: { mergeId, sourceIds: m.source_ids },
    });
    await ctx.emit(tx, {
      type: `${kind}.merge_undone`,
      aggregateType: kind,
      aggregateId: m.survivor_id,
      payload: { mergeId, survivorId: m.survivor_id, sourceIds: m.source_ids },
    });
    return { survivor, restoredIds: m.source_ids };
  });
}
