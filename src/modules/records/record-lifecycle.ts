import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { fieldDiff } from '../../platform/audit/index.js';
import { authorize, type OwnedRecord } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { moveToTrash, takeOutOfTrash, type TrashTarget } from '../../platform/objects/index.js';
import { emitAssigned } from '../../platform/outbox/index.js';
import { assertReferences, type Reference } from '../../platform/references/index.js';
import type { ObjectType } from './custom-field-types.js';
import { validatedCustomFields } from './custom-fields.js';
import { recordMerged } from './errors.js';
import { assertVersion, authorizeCreate } from './record-access.js';
import { listRecords, type RecordListSpec } from './record-list.js';

/**
 * The lifecycle every object stored in its own table shares: load within the actor's scope,
 * create, update with If-Match, delete to and restore from the trash, and list. Each write
 * authorizes, checks references and custom fields, bumps the version and writes the row, its
 * audit entry, its event and its assignment notice in one transaction. An object declares its
 * columns and its own rules as hooks (a ticket's number, a lead's assignment rules, a deal's
 * stage rules), so the steps every record needs exist once and cannot drift apart.
 */

/** The columns every such table has. */
export interface LifecycleRow {
  id: string;
  version: number;
  owner_id: string | null;
  custom_fields: Record<string, unknown>;
  deleted_at: Date | null;
}

/** What an input may always carry: its owner and custom field values. */
export interface LifecycleInput {
  ownerId?: string | null;
  customFields?: Record<string, unknown>;
}

/** What a hook run before a write answers: the input to write and columns of its own. */
export interface Prepared<Input> {
  input: Input;
  columns?: Record<string, unknown>;
}

/** An object's own steps around the shared ones; each runs in the write's transaction. */
export interface LifecycleHooks<Row, Api, Input> {
  /** Before the row is inserted: the object's rules, defaults and columns (a ticket's number). */
  beforeCreate?(ctx: Ctx, tx: Tx, input: Input): Promise<Prepared<Input>>;
  /** After the insert: rows of its own (line items); answers the row as it now is. */
  afterInsert?(ctx: Ctx, tx: Tx, row: Row, input: Input): Promise<Row>;
  /** After the created event and notice: further events (a deal created already won). */
  created?(ctx: Ctx, tx: Tx, record: Api, row: Row): Promise<void>;
  /** Before the row is updated, with the current row locked. */
  beforeUpdate?(ctx: Ctx, tx: Tx, current: Row, input: Input): Promise<Prepared<Input>>;
  /** After the update: rows of its own; answers the row as it now is. */
  afterWrite?(ctx: Ctx, tx: Tx, current: Row, row: Row, input: Input): Promise<Row>;
  /** After the updated event and notice: further events (a deal's stage change). */
  updated?(ctx: Ctx, tx: Tx, change: { before: Row; after: Row; record: Api }): Promise<void>;
  /** Before a record leaves the trash: rules a restore must meet (a company's domain is free). */
  beforeRestore?(ctx: Ctx, tx: Tx, row: Row): Promise<void>;
}

/** How an object stored in its own table is written, read and listed. */
export interface RecordLifecycleSpec<Row extends LifecycleRow, Api, Input extends LifecycleInput> {
  key: ObjectType;
  /** Its permissions are `<resource>:read|create|update|delete`. */
  resource: string;
  /** How messages name one record ("Contact"). */
  label: string;
  table: string;
  /** Rows can be merged into another (contacts, companies): a merged id answers RECORD_MERGED. */
  mergeable: boolean;
  /** Who a row belongs to for permission checks; by default its owner. */
  guard?: (row: Row) => OwnedRecord;
  /**
   * Checks that the actor may give a record this owner (on create, or a new owner on update); by
   * default the owner must be within the permission's scope.
   */
  authorizeOwner?: (
    ctx: Ctx,
    action: 'create' | 'update',
    ownerId: string | null,
    input: Input,
  ) => void;
  /** The owner a new record gets when the input names none; by default whoever creates it. */
  defaultOwner?: (ctx: Ctx, input: Input) => string | null | undefined;
  /** The API shape of rows (a page at a time, so parts of other tables load once). */
  present(ctx: Ctx, tx: Tx, rows: Row[]): Promise<Api[]>;
  /** The columns an input sets, besides custom fields and what hooks add. */
  columns(input: Input): Record<string, unknown>;
  /** The references an input names, each checked to be visible (422 naming the field). */
  references(input: Input): Reference[];
  /** Fields of the API shape an audit diff leaves out, besides the version and timestamps. */
  auditOmit?: readonly string[];
  /** How the assignment notice names the record, and fields its own consumers read. */
  assignment: {
    label(record: Api): string;
    ownerOf(record: Api): string | null;
    extra?: (
      ctx: Ctx,
      record: Api,
      row: Row,
      change: { previousOwnerId: string | null; created: boolean },
    ) => Record<string, unknown>;
    /** Announce a first owner even when the creator owns it (queues and routing rules read it). */
    announceEveryFirstOwner?: boolean;
  };
  /** The event payload of a delete, by default `{ id }`. */
  deletedPayload?: (row: Row) => Record<string, unknown>;
  /** The event payload of a restore, by default the record under its key. */
  restoredPayload?: (record: Api) => Record<string, unknown>;
  list: Pick<RecordListSpec, 'fields' | 'search' | 'ownerColumns' | 'teamColumn'>;
  hooks?: LifecycleHooks<Row, Api, Input>;
}

export interface LoadOptions {
  forUpdate?: boolean;
  includeDeleted?: boolean;
}

/** A page of records as `GET /{resource}` answers it. */
export interface RecordListPage<Api> {
  data: Api[];
  meta: { nextCursor: string | null; total?: number };
}

/** The shared steps, bound to one object's declaration. */
export interface RecordLifecycle<Row extends LifecycleRow, Api, Input extends LifecycleInput> {
  load(ctx: Ctx, tx: Tx, id: string, options?: LoadOptions): Promise<Row>;
  presentOne(ctx: Ctx, tx: Tx, row: Row): Promise<Api>;
  get(ctx: Ctx, id: string): Promise<Api>;
  create(ctx: Ctx, input: Input): Promise<Api>;
  update(ctx: Ctx, id: string, input: Input, expectedVersion?: number): Promise<Api>;
  remove(ctx: Ctx, id: string): Promise<void>;
  restore(ctx: Ctx, id: string): Promise<Api>;
  list(ctx: Ctx, query: Record<string, unknown>): Promise<RecordListPage<Api>>;
}

const SYSTEM_FIELDS = ['version', 'createdAt', 'updatedAt', 'deletedAt'];

/** Binds the shared lifecycle to one object's declaration. */
export function recordLifecycle<Row extends LifecycleRow, Api, Input extends LifecycleInput>(
  spec: RecordLifecycleSpec<Row, Api, Input>,
): RecordLifecycle<Row, Api, Input> {
  const permission = (action: string) => `${spec.resource}:${action}`;
  const guard = spec.guard ?? ((row: Row): OwnedRecord => ({ ownerId: row.owner_id }));
  const authorizeOwner =
    spec.authorizeOwner ??
    ((ctx: Ctx, action: 'create' | 'update', ownerId: string | null) =>
      authorizeCreate(ctx, permission(action), ownerId));
  const trash: TrashTarget = { table: spec.table, key: spec.key, label: spec.label };
  const omit = [...SYSTEM_FIELDS, ...(spec.auditOmit ?? [])];
  const hooks = spec.hooks ?? {};

  const diffOf = (before: Api | null, after: Api | null) =>
    fieldDiff(
      before as Record<string, unknown> | null,
      after as Record<string, unknown> | null,
      omit,
    );

  async function load(ctx: Ctx, tx: Tx, id: string, options: LoadOptions = {}): Promise<Row> {
    const lock = options.forUpdate ? sql` for update` : sql``;
    const result = await sql<Row>`select * from ${sql.table(spec.table)}
      where organization_id = ${ctx.organizationId} and id = ${id}${lock}`.execute(tx);
    const row = result.rows[0];
    if (!row) throw errors.notFound(spec.label);
    authorize(ctx, permission('read'), guard(row));
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
        kind: spec.key,
        label: a.label(record),
        ownerId: a.ownerOf(record),
        previousOwnerId,
        ...(a.extra ? { extra: a.extra(ctx, record, row, { previousOwnerId, created }) } : {}),
      },
      { created: created && !a.announceEveryFirstOwner },
    );
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

  const customOf = (custom: Record<string, unknown> | undefined) =>
    custom !== undefined ? { custom_fields: JSON.stringify(custom) } : {};

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
        const custom = await validatedCustomFields(
          ctx,
          tx,
          spec.key,
          prepared.input.customFields,
          false,
        );
        const values = {
          organization_id: ctx.organizationId,
          id: uuidv7(),
          ...spec.columns(prepared.input),
          ...prepared.columns,
          ...customOf(custom ?? {}),
        };
        const columns = Object.keys(values);
        const inserted = await sql<Row>`insert into ${sql.table(spec.table)}
          (${sql.join(columns.map((c) => sql.ref(c)))})
          values (${sql.join(columns.map((c) => sql`${values[c as keyof typeof values]}`))})
          returning *`.execute(tx);
        let row = inserted.rows[0];
        if (!row) throw new Error(`inserting a ${spec.key} returned no row`);
        if (hooks.afterInsert) row = await hooks.afterInsert(ctx, tx, row, prepared.input);
        const record = await presentOne(ctx, tx, row);
        await ctx.audit(tx, {
          action: `${spec.key}.created`,
          targetType: spec.key,
          targetId: row.id,
          diff: diffOf(null, record),
        });
        await ctx.emit(tx, {
          type: `${spec.key}.created`,
          aggregateType: spec.key,
          aggregateId: row.id,
          payload: { [spec.key]: record },
        });
        await announce(ctx, tx, record, row, null, true);
        if (hooks.created) await hooks.created(ctx, tx, record, row);
        return record;
      });
    },

    update: (ctx, id, input, expectedVersion) =>
      ctx.tx(async (tx) => {
        const current = await load(ctx, tx, id, { forUpdate: true });
        authorize(ctx, permission('update'), guard(current));
        assertVersion(expectedVersion, current.version);
        if (input.ownerId !== undefined && input.ownerId !== current.owner_id)
          authorizeOwner(ctx, 'update', input.ownerId, input);
        await assertReferences(ctx, tx, spec.references(input));
        const prepared = hooks.beforeUpdate
          ? await hooks.beforeUpdate(ctx, tx, current, input)
          : { input };
        const custom = await validatedCustomFields(
          ctx,
          tx,
          spec.key,
          prepared.input.customFields,
          true,
          current.custom_fields,
        );
        let row = await writeRow(tx, ctx, id, {
          ...spec.columns(prepared.input),
          ...prepared.columns,
          ...customOf(custom),
          version: current.version + 1,
          updated_at: ctx.deps.clock.now(),
        });
        if (hooks.afterWrite) row = await hooks.afterWrite(ctx, tx, current, row, prepared.input);
        const [before, after] = await spec.present(ctx, tx, [current, row]);
        if (before === undefined || after === undefined)
          throw new Error(`${spec.key} ${id}: two rows in, fewer out`);
        const diff = diffOf(before, after);
        await ctx.audit(tx, {
          action: `${spec.key}.updated`,
          targetType: spec.key,
          targetId: id,
          diff,
        });
        await ctx.emit(tx, {
          type: `${spec.key}.updated`,
          aggregateType: spec.key,
          aggregateId: id,
          payload: { [spec.key]: after, changes: diff },
        });
        await announce(ctx, tx, after, row, current.owner_id, false);
        if (hooks.updated)
          await hooks.updated(ctx, tx, { before: current, after: row, record: after });
        return after;
      }),

    remove: (ctx, id) =>
      ctx.tx(async (tx) => {
        const current = await load(ctx, tx, id, { forUpdate: true });
        authorize(ctx, permission('delete'), guard(current));
        await moveToTrash(ctx, tx, trash, current, spec.deletedPayload?.(current));
      }),

    restore: (ctx, id) =>
      ctx.tx(async (tx) => {
        const current = await load(ctx, tx, id, { forUpdate: true, includeDeleted: true });
        authorize(ctx, permission('delete'), guard(current));
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

    async list(ctx, query) {
      authorize(ctx, permission('read'));
      return ctx.tx(async (tx) => {
        const page = await listRecords<Row>(
          ctx,
          tx,
          {
            ...spec.list,
            table: spec.table,
            objectType: spec.key,
            permission: permission('read'),
            mergeable: spec.mergeable,
          },
          query,
        );
        return {
          data: await spec.present(ctx, tx, page.rows),
          meta: {
            nextCursor: page.nextCursor,
            ...(page.total !== undefined ? { total: page.total } : {}),
          },
        };
      });
    },
  };
}
