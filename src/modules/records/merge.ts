import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import { moveLinks } from './activity-links.js';
import { mergeTargetOf, referenceSitesOf, type MergeTarget } from './merge-target.js';
import { assertVersion } from './record-access.js';
import type { RecordsTables } from './schema.js';

/** How long a merge can be undone. */
export const MERGE_UNDO_DAYS = 30;

/** The key in `merges.moved` of the activities whose links followed a source (`activity_links.contact`). */
const LINKS_MOVED = 'activity_links.';

/** The payload of `<key>.merged` (`contact.merged`, `lead.merged`…) and `<key>.merge_undone` events. */
export interface MergeEventPayload {
  mergeId: string;
  survivorId: string;
  sourceIds: string[];
}

/**
 * Reads a merge event's payload (`<key>.merged`, `<key>.merge_undone` of any object), or null
 * when it is not one: modules with rows of their own that name merged records (a deal's contact
 * roles) move them on these events and back on undo.
 */
export function mergePayloadOf(p: Record<string, unknown>): MergeEventPayload | null {
  const ok =
    typeof p.mergeId === 'string' &&
    typeof p.survivorId === 'string' &&
    Array.isArray(p.sourceIds) &&
    p.sourceIds.every((s) => typeof s === 'string');
  return ok
    ? {
        mergeId: p.mergeId as string,
        survivorId: p.survivorId as string,
        sourceIds: p.sourceIds as string[],
      }
    : null;
}

/** Input of a merge: the records merged into the survivor, and which record's value wins per field. */
export interface MergeInput {
  sourceIds: string[];
  fields?: Record<string, string>;
}

/** A record in its API shape, as its object's services answer it. */
type ApiRecord = Record<string, unknown> & { id: string; version: number };

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const isEmpty = (v: unknown) =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/** An entry of a list of objects is the same as another by its first text (an email's address). */
const entryKey = (e: unknown): string => {
  if (typeof e !== 'object' || e === null) return JSON.stringify(e);
  const text = Object.values(e).find((v) => typeof v === 'string');
  return typeof text === 'string' ? text.toLowerCase() : JSON.stringify(e);
};

/** Lists combined, survivor's entries first; a list of entries with `primary` keeps one, the first. */
function combined(lists: unknown[][]): unknown[] {
  const seen = new Set<string>();
  const all = lists.flat().filter((e) => {
    const k = typeof e === 'string' ? e : entryKey(e);
    return seen.has(k) ? false : (seen.add(k), true);
  });
  const withPrimary = all.every((e) => typeof e === 'object' && e !== null && 'primary' in e);
  return withPrimary && all.length
    ? all.map((e, i) => ({ ...(e as object), primary: i === 0 }))
    : all;
}

/**
 * The survivor's field values after the merge: chosen per field; else lists combined and custom
 * fields joined (the survivor's win); else the survivor's value, or the first source's it lacks.
 */
function mergedValues(
  target: MergeTarget,
  records: readonly ApiRecord[],
  choices: Record<string, string>,
): Record<string, unknown> {
  for (const k of Object.keys(choices))
    if (!target.fields.includes(k))
      throw errors.validation([{ path: `fields.${k}`, message: 'is not a mergeable field' }]);
  const out: Record<string, unknown> = {};
  for (const f of target.fields) {
    const pick = choices[f];
    if (pick) {
      const chosen = records.find((r) => r.id === pick);
      if (!chosen)
        throw errors.validation([
          { path: `fields.${f}`, message: 'must be the id of the survivor or one of the sources' },
        ]);
      out[f] = chosen[f] ?? null;
    } else if (records.some((r) => Array.isArray(r[f]))) {
      out[f] = combined(records.map((r) => (Array.isArray(r[f]) ? (r[f] as unknown[]) : [])));
    } else if (f === 'customFields') {
      out[f] = Object.assign({}, ...[...records].reverse().map((r) => r.customFields ?? {}));
    } else {
      out[f] = records.map((r) => r[f]).find((v) => !isEmpty(v)) ?? records[0]?.[f] ?? null;
    }
  }
  return out;
}

/** The fields of `values` that differ from the record's, so the write changes only those. */
function changesOf(record: ApiRecord, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([f, v]) => !same(record[f], v)));
}

/**
 * Writes the survivor's changed fields through its object's own update (its validation, rules,
 * audit and events), parsed as its PATCH body would be; answers the record as it now is.
 */
async function writeSurvivor(
  ctx: Ctx,
  target: MergeTarget,
  current: ApiRecord,
  changes: Record<string, unknown>,
): Promise<ApiRecord> {
  if (Object.keys(changes).length === 0) return current;
  let input: unknown = changes;
  if (target.updateBody) {
    const parsed = target.updateBody.safeParse(changes);
    if (!parsed.success)
      throw errors.validation(
        parsed.error.issues.map((i) => ({
          path: `fields.${i.path.join('.')}`,
          message: i.message,
        })),
      );
    input = parsed.data;
  }
  return (await target.lifecycle.update(
    ctx,
    current.id,
    input as never,
    current.version,
  )) as ApiRecord;
}

/** Who owns a record, for the permission's scope (own / team / all). */
const ownedBy = (target: MergeTarget, r: ApiRecord) => ({
  ownerId: (r[target.lifecycle.ownerField] as string | null | undefined) ?? null,
  ...(typeof r.teamId === 'string' || r.teamId === null ? { teamId: r.teamId } : {}),
});

const getRecord = async (ctx: Ctx, target: MergeTarget, id: string) =>
  (await target.lifecycle.get(ctx, id)) as ApiRecord;

const markMerged = (tx: Tx, ctx: Ctx, table: string, ids: readonly string[], into: string | null) =>
  sql`update ${sql.table(table)} set merged_into = ${into}, version = version + 1
    where organization_id = ${ctx.organizationId} and id in (${sql.join(ids.map((id) => sql`${id}::uuid`))})`.execute(
    tx,
  );

/**
 * Merges sources into a survivor of any object that can be merged, in one transaction: the
 * survivor keeps the chosen values (written through its object's services), every reference to a
 * source follows the survivor, the sources are marked merged (reads of them answer
 * RECORD_MERGED), and what changed is kept so the merge can be undone for 30 days.
 * `expectedVersion` (If-Match) guards the survivor against a lost edit.
 */
export async function mergeRecords(
  ctx: Ctx,
  key: string,
  survivorId: string,
  input: MergeInput,
  expectedVersion?: number,
): Promise<{ mergeId: string; survivor: Record<string, unknown> }> {
  const sourceIds = [...new Set(input.sourceIds)];
  if (sourceIds.includes(survivorId))
    throw errors.validation([
      { path: 'sourceIds', message: 'must not include the surviving record' },
    ]);
  return ctx.tx(async (tx) => {
    const target = await mergeTargetOf(ctx, key);
    const survivor = await getRecord(ctx, target, survivorId);
    authorize(ctx, `${target.permission}:update`, ownedBy(target, survivor));
    assertVersion(expectedVersion, survivor.version);
    const sources: ApiRecord[] = [];
    for (const [i, id] of sourceIds.entries()) {
      try {
        const s = await getRecord(ctx, target, id);
        authorize(ctx, `${target.permission}:delete`, ownedBy(target, s));
        sources.push(s);
      } catch (e) {
        if (e instanceof DomainError && e.kind === 'not_found')
          throw unknownReferences([
            { path: `sourceIds.${i}`, message: unknownReferenceMessage(key) },
          ]);
        throw e;
      }
    }
    const values = mergedValues(target, [survivor, ...sources], input.fields ?? {});
    // Mark the sources first: it frees their unique values (a company's domain) for the survivor.
    await markMerged(tx, ctx, target.table, sourceIds, survivorId);
    const sites = await referenceSitesOf(ctx, tx, key);
    const moved: Record<string, Record<string, string[]>> = {};
    for (const s of sources) {
      const perSource: Record<string, string[]> = {};
      for (const site of sites) {
        const ids = await site.move(tx, ctx.organizationId, s.id, survivorId);
        if (ids.length) perSource[site.name] = ids;
      }
      const activities = await moveLinks(tx, ctx.organizationId, key, s.id, survivorId);
      if (activities.length) perSource[`${LINKS_MOVED}${key}`] = activities;
      moved[s.id] = perSource;
    }
    const after = await writeSurvivor(ctx, target, survivor, changesOf(survivor, values));
    const mergeId = uuidv7();
    await tx
      .withTables<RecordsTables>()
      .insertInto('merges')
      .values({
        organization_id: ctx.organizationId,
        id: mergeId,
        object_type: key,
        survivor_id: survivorId,
        source_ids: sourceIds,
        survivor_before: JSON.stringify(survivor),
        survivor_after: JSON.stringify(after),
        moved: JSON.stringify(moved),
        actor_id: ctx.actor.userId,
      })
      .execute();
    await ctx.audit(tx, {
      action: `${key}.merged`,
      targetType: key,
      targetId: survivorId,
      diff: { mergeId, sourceIds, fields: input.fields ?? {} },
    });
    await ctx.emit(tx, {
      type: `${key}.merged`,
      aggregateType: key,
      aggregateId: survivorId,
      payload: { mergeId, survivorId, sourceIds },
    });
    return { mergeId, survivor: after };
  });
}

/** The survivor's fields the merge set and nobody changed since, back to their earlier values. */
function revertOf(
  target: MergeTarget,
  now: ApiRecord,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const revert: Record<string, unknown> = {};
  for (const f of target.fields) {
    if (!same(now[f], after[f]) || same(now[f], before[f])) continue;
    if (f === 'customFields') {
      // A custom field the merge added is taken away again (null removes it).
      const was = (before[f] ?? {}) as Record<string, unknown>;
      const added = Object.keys(after[f] ?? {}).filter((k) => !(k in was));
      revert[f] = { ...was, ...Object.fromEntries(added.map((k) => [k, null])) };
    } else revert[f] = before[f] ?? null;
  }
  return revert;
}

/**
 * Undoes a merge: the sources come back with their own values and references, and the survivor's
 * fields that the merge set (and nobody changed since) return to their earlier values.
 */
export async function undoMerge(
  ctx: Ctx,
  mergeId: string,
): Promise<{ survivor: Record<string, unknown>; restoredIds: string[] }> {
  return ctx.tx(async (tx) => {
    const m = await tx
      .withTables<RecordsTables>()
      .selectFrom('merges')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', mergeId)
      .forUpdate()
      .executeTakeFirst();
    if (!m) throw errors.notFound('Merge');
    const key = m.object_type;
    const target = await mergeTargetOf(ctx, key);
    const current = await getRecord(ctx, target, m.survivor_id);
    authorize(ctx, `${target.permission}:update`, ownedBy(target, current));
    if (m.undone_at)
      throw errors.conflict('RECORDS_MERGE_ALREADY_UNDONE', 'This merge was already undone');
    if (Date.now() - m.created_at.getTime() > MERGE_UNDO_DAYS * 86_400_000)
      throw new DomainError(
        'rule_violated',
        'RECORDS_MERGE_UNDO_EXPIRED',
        `Merges can be undone for ${MERGE_UNDO_DAYS} days`,
      );
    // The merge needed delete on each source; bringing them back needs it too, within scope.
    const sources = await sql<{
      owner_id: string | null;
    }>`select owner_id from ${sql.table(target.table)}
      where organization_id = ${ctx.organizationId} and id in (${sql.join(m.source_ids.map((id) => sql`${id}::uuid`))})`.execute(
      tx,
    );
    for (const source of sources.rows)
      authorize(ctx, `${target.permission}:delete`, { ownerId: source.owner_id });
    const sites = new Map((await referenceSitesOf(ctx, tx, key)).map((s) => [s.name, s]));
    for (const sourceId of m.source_ids) {
      for (const [name, ids] of Object.entries(m.moved[sourceId] ?? {})) {
        if (name.startsWith(LINKS_MOVED)) {
          await moveLinks(
            tx,
            ctx.organizationId,
            name.slice(LINKS_MOVED.length),
            m.survivor_id,
            sourceId,
            ids,
          );
          continue;
        }
        const site = sites.get(name);
        if (site) await site.move(tx, ctx.organizationId, m.survivor_id, sourceId, ids);
      }
    }
    const revert = revertOf(target, current, m.survivor_before, m.survivor_after);
    const survivor = await writeSurvivor(ctx, target, current, revert);
    // The sources return last, once the survivor gave back their unique values (a company's domain).
    await markMerged(tx, ctx, target.table, m.source_ids, null);
    await tx
      .withTables<RecordsTables>()
      .updateTable('merges')
      .set({ undone_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', mergeId)
      .execute();
    await ctx.audit(tx, {
      action: `${key}.merge_undone`,
      targetType: key,
      targetId: m.survivor_id,
      diff: { mergeId, sourceIds: m.source_ids },
    });
    await ctx.emit(tx, {
      type: `${key}.merge_undone`,
      aggregateType: key,
      aggregateId: m.survivor_id,
      payload: { mergeId, survivorId: m.survivor_id, sourceIds: m.source_ids },
    });
    return { survivor, restoredIds: m.source_ids };
  });
}
