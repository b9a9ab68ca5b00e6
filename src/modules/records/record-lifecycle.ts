import { sql, type Expression, type SqlBool } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { fieldDiff } from '../../platform/audit/index.js';
import { authorize, type OwnedRecord } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { jsonListText } from '../../platform/http/index.js';
import { moveToTrash, takeOutOfTrash, type TrashTarget } from '../../platform/objects/index.js';
import { emitAssigned } from '../../platform/outbox/index.js';
import { assertReferences } from '../../platform/references/index.js';
import { validatedCustomFields } from './custom-fields.js';
import { recordMerged } from './errors.js';
import { assertVersion, authorizeAnyOf, authorizeCreate } from './record-access.js';
import { recordChanged } from './record-changes.js';
import type {
  GuardedAction,
  LifecycleInput,
  LifecycleRow,
  LoadOptions,
  RecordLifecycle,
  RecordLifecycleSpec,
} from './record-lifecycle-spec.js';
import { listRecords, listRecordsAsJson, type RecordListSpec } from './record-list.js';

/**
 * The lifecycle every object stored in its own table shares: load within the actor's scope,
 * create, update with If-Match, delete to and restore from the trash, and list. Each write
 * authorizes, checks references and custom fields, bumps the version and writes the row, its
 * audit entry, its event and its assignment notice in one transaction. An object declares its
 * columns and its own rules as hooks (a ticket's number, a lead's assignment rules, a deal's
 * stage rules), so the steps every record needs exist once and cannot drift apart. What an
 * object declares is in record-lifecycle-spec.ts.
 */

const SYSTEM_FIELDS = ['version', 'createdAt', 'updatedAt', 'deletedAt'];

/** Binds the shared lifecycle to one object's declaration. */
export function recordLifecycle<Row extends LifecycleRow, Api, Input extends LifecycleInput>(
  spec: RecordLifecycleSpec<Row, Api, Input>,
): RecordLifecycle<Row, Api, Input> {
  const permission = (action: string) => `${spec.resource}:${action}`;
  const guardOf = spec.guard ?? ((row: Row): OwnedRecord => ({ ownerId: row.owner_id }));
  const guard = (ctx: Ctx, action: GuardedAction, row: Row) =>
    authorizeAnyOf(ctx, permission(action), guardOf(row, action));
  const authorizeOwner =
    spec.authorizeOwner ??
    ((ctx: Ctx, action: 'create' | 'update', ownerId: string | null) =>
      authorizeCreate(ctx, permission(action), ownerId));
  const trash: TrashTarget = { table: spec.table, key: spec.key, label: spec.label };
  const omit = [...SYSTEM_FIELDS, ...(spec.auditOmit ?? [])];
  const hooks = spec.hooks ?? {};
  const hasCustomFields = spec.customFields !== false;
  const discriminator = spec.discriminator;
  const confined = discriminator
    ? sql` and ${sql.ref(discriminator.column)} = ${discriminator.value}`
    : sql``;
  const changePayload = (record: Api) =>
    spec.eventPayload ? { payload: spec.eventPayload(record) } : {};

  const diffOf = (before: Api | null, after: Api | null) =>
    fieldDiff(
      before as Record<string, unknown> | null,
      after as Record<string, unknown> | null,
      omit,
    );
  const createdDiffOf = (record: Api) => {
    const fields = spec.auditCreatedFields;
    if (!fields) return diffOf(null, record);
    const all = record as Record<string, unknown>;
    return fieldDiff(null, Object.fromEntries(fields.map((f) => [f, all[f]])), omit);
  };

  const listSpec = (where?: Expression<SqlBool>[]): RecordListSpec => ({
    ...spec.list,
    table: spec.table,
    objectType: hasCustomFields ? spec.key : null,
    permission: permission('read'),
    mergeable: spec.mergeable,
    ...(discriminator || where
      ? {
          where: [
            // A literal, not a parameter: the planner can only use an index partial to one
            // object when the query names it as a constant.
            ...(discriminator
              ? [sql<SqlBool>`${sql.ref(discriminator.column)} = ${sql.lit(discriminator.value)}`]
              : []),
            ...(where ?? []),
          ],
        }
      : {}),
  });
  const metaOf = (page: { nextCursor: string | null; total?: number }) => ({
    nextCursor: page.nextCursor,
    ...(page.total !== undefined ? { total: page.total } : {}),
  });

  const list: RecordLifecycle<Row, Api, Input>['list'] = async (ctx, query, where) => {
    authorize(ctx, permission('read'));
    return ctx.tx(async (tx) => {
      const page = await listRecords<Row>(ctx, tx, listSpec(where), query);
      return { data: await spec.present(ctx, tx, page.rows), meta: metaOf(page) };
    });
  };

  async function load(ctx: Ctx, tx: Tx, id: string, options: LoadOptions = {}): Promise<Row> {
    const lock = options.forUpdate ? sql` for update` : sql``;
    const result = await sql<Row>`select * from ${sql.table(spec.table)}
      where organization_id = ${ctx.organizationId} and id = ${id}${confined}${lock}`.execute(tx);
    const row = result.rows[0];
    if (!row) throw errors.notFound(spec.label);
    guard(ctx, 'read', row);
    const mergedInto = (row as Row & { merged_into?: string | null }).merged_into;
    if (spec.mergeable && mergedInto) throw recordMerged(spec.label, mergedInto);
    if (row.deleted_at && !options.includeDeleted) throw errors.notFound(spec.label);
    return row;
  }

  async function presentOne(ctx: Ctx, tx: Tx, row: Row): Promise<Api> {
    const [record] = await spec.present(ctx, tx, [row]);
    if (record === undefined) throw new Error(`${spec.key} ${row.id}: one row in, none out`);
    return record;
  }

  /** The record before and after an update, each as it was read at its moment. */
  async function presentChange(ctx: Ctx, tx: Tx, current: Row, row: Row, previous?: Api) {
    if (previous !== undefined) return [previous, await presentOne(ctx, tx, row)] as const;
    const [before, after] = await spec.present(ctx, tx, [current, row]);
    if (before === undefined || after === undefined)
      throw new Error(`${spec.key} ${row.id}: two rows in, fewer out`);
    return [before, after] as const;
  }

  async function announce(
    ctx: Ctx,
    tx: Tx,
    record: Api,
    row: Row,
    previousOwnerId: string | null,
    created: boolean,
  ): Promise<void> {
    const a = spec.assignment;
    await emitAssigned(
      ctx,
      tx,
      {
        recordType: spec.key,
        recordId: row.id,
        kind: a.kind ? a.kind(record) : spec.key,
        label: a.label(record),
        ownerId: a.ownerOf(record),
        previousOwnerId,
        ...(a.parent ? { parent: a.parent(record, ctx) } : {}),
        ...(a.extra ? { extra: a.extra(ctx, record, row, { previousOwnerId, created }) } : {}),
      },
      { created: created && !a.announceEveryFirstOwner },
    );
  }

  async function insertRow(tx: Tx, values: Record<string, unknown>) {
    const columns = Object.keys(values);
    const inserted = await sql<Row>`insert into ${sql.table(spec.table)}
      (${sql.join(columns.map((c) => sql.ref(c)))})
      values (${sql.join(columns.map((c) => sql`${values[c]}`))})
      returning *`.execute(tx);
    const row = inserted.rows[0];
    if (!row) throw new Error(`inserting a ${spec.key} returned no row`);
    return row;
  }

  async function writeRow(tx: Tx, ctx: Ctx, id: string, set: Record<string, unknown>) {
    const assignments = Object.entries(set).map(
      ([column, value]) => sql`${sql.ref(column)} = ${value}`,
    );
    const result = await sql<Row>`update ${sql.table(spec.table)}
      set ${sql.join(assignments)}
      where organization_id = ${ctx.organizationId} and id = ${id}
      returning *`.execute(tx);
    const row = result.rows[0];
    if (!row) throw new Error(`${spec.key} ${id} vanished under its lock`);
    return row;
  }

  /** The `custom_fields` column of a write: the validated values, or nothing to set. */
  async function customColumn(ctx: Ctx, tx: Tx, input: Input, current?: Row) {
    if (!hasCustomFields) return {};
    const custom = current
      ? await validatedCustomFields(
          ctx,
          tx,
          spec.key,
          input.customFields,
          true,
          current.custom_fields,
        )
      : ((await validatedCustomFields(ctx, tx, spec.key, input.customFields, false)) ?? {});
    return custom !== undefined ? { custom_fields: JSON.stringify(custom) } : {};
  }

  return {
    load,
    presentOne,

    get: (ctx, id) => ctx.tx(async (tx) => presentOne(ctx, tx, await load(ctx, tx, id))),

    async create(ctx, given) {
      authorize(ctx, permission('create'));
      const owner = (spec.defaultOwner ?? ((c: Ctx) => c.actor.userId))(ctx, given);
      const input =
        given.ownerId === undefined && owner !== undefined ? { ...given, ownerId: owner } : given;
      if (input.ownerId !== undefined) authorizeOwner(ctx, 'create', input.ownerId, input);
      return ctx.tx(async (tx) => {
        await assertReferences(ctx, tx, spec.references(input));
        const prepared = hooks.beforeCreate ? await hooks.beforeCreate(ctx, tx, input) : { input };
        let row = await insertRow(tx, {
          organization_id: ctx.organizationId,
          id: uuidv7(),
          ...(discriminator ? { [discriminator.column]: discriminator.value } : {}),
          ...spec.columns(prepared.input),
          ...prepared.columns,
          ...(await customColumn(ctx, tx, prepared.input)),
        });
        if (hooks.afterInsert) row = await hooks.afterInsert(ctx, tx, row, prepared.input);
        const record = await presentOne(ctx, tx, row);
        const diff = createdDiffOf(record);
        await recordChanged(ctx, tx, {
          key: spec.key,
          id: row.id,
          verb: 'created',
          record,
          diff,
          ...changePayload(record),
        });
        await announce(ctx, tx, record, row, null, true);
        if (hooks.created) await hooks.created(ctx, tx, record, row);
        return record;
      });
    },

    update: (ctx, id, input, expectedVersion) =>
      ctx.tx(async (tx) => {
        const current = await load(ctx, tx, id, { forUpdate: true });
        guard(ctx, 'update', current);
        assertVersion(expectedVersion, current.version);
        if (input.ownerId !== undefined && input.ownerId !== current.owner_id)
          authorizeOwner(ctx, 'update', input.ownerId, input);
        await assertReferences(ctx, tx, spec.references(input));
        const prepared = hooks.beforeUpdate
          ? await hooks.beforeUpdate(ctx, tx, current, input)
          : { input };
        const presented = spec.presentBeforeWrite ? await presentOne(ctx, tx, current) : undefined;
        let row = await writeRow(tx, ctx, id, {
          ...spec.columns(prepared.input),
          ...prepared.columns,
          ...(await customColumn(ctx, tx, prepared.input, current)),
          version: current.version + 1,
          updated_at: ctx.deps.clock.now(),
        });
        if (hooks.afterWrite) row = await hooks.afterWrite(ctx, tx, current, row, prepared.input);
        const [before, after] = await presentChange(ctx, tx, current, row, presented);
        const diff = diffOf(before, after);
        await recordChanged(ctx, tx, {
          key: spec.key,
          id,
          verb: 'updated',
          record: after,
          diff,
          ...changePayload(after),
        });
        await announce(ctx, tx, after, row, spec.assignment.ownerOf(before), false);
        if (hooks.updated)
          await hooks.updated(ctx, tx, {
            before: current,
            after: row,
            record: after,
            previous: before,
          });
        return after;
      }),

    remove: (ctx, id) =>
      ctx.tx(async (tx) => {
        const current = await load(ctx, tx, id, { forUpdate: true });
        guard(ctx, 'delete', current);
        await moveToTrash(ctx, tx, trash, current, spec.deletedPayload?.(current));
        if (hooks.removed) await hooks.removed(ctx, tx, current);
      }),

    restore: (ctx, id) =>
      ctx.tx(async (tx) => {
        const current = await load(ctx, tx, id, { forUpdate: true, includeDeleted: true });
        guard(ctx, 'delete', current);
        if (hooks.beforeRestore) await hooks.beforeRestore(ctx, tx, current);
        return takeOutOfTrash(
          ctx,
          tx,
          trash,
          current,
          async () => presentOne(ctx, tx, await load(ctx, tx, id)),
          spec.restoredPayload,
        );
      }),

    list,

    async listAsJson(ctx, query) {
      const presentJson = spec.presentJson;
      if (!presentJson) return list(ctx, query);
      authorize(ctx, permission('read'));
      return ctx.tx(async (tx) => {
        const page = await listRecordsAsJson(ctx, tx, listSpec(), query, presentJson);
        return jsonListText(page.rows, metaOf(page));
      });
    },
  };
}
