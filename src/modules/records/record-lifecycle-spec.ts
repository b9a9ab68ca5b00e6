import type { Expression, RawBuilder, SqlBool } from 'kysely';
import type { OwnedRecord } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { JsonText } from '../../platform/http/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { AssignedPayload } from '../../platform/outbox/index.js';
import type { Reference } from '../../platform/references/index.js';
import type { ObjectType } from './custom-field-types.js';
import type { RecordListSpec } from './record-list.js';

/**
 * How an object stored in its own table declares itself to the shared lifecycle
 * (record-lifecycle.ts): its columns, who may touch a row, and its own rules as hooks.
 */

/** The columns every such table has (`custom_fields` unless the spec says it has none). */
export interface LifecycleRow {
  id: string;
  version: number;
  owner_id: string | null;
  custom_fields?: Record<string, unknown>;
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

/** An update as the hooks after it see it: the rows before and after, and both API shapes. */
export interface LifecycleChange<Row, Api> {
  before: Row;
  after: Row;
  /** The record as the update answers it. */
  record: Api;
  /** The record as it was before the update. */
  previous: Api;
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
  updated?(ctx: Ctx, tx: Tx, change: LifecycleChange<Row, Api>): Promise<void>;
  /** After a record went to the trash: figures that counted it (a contact's last contact). */
  removed?(ctx: Ctx, tx: Tx, row: Row): Promise<void>;
  /** Before a record leaves the trash: rules a restore must meet (a company's domain is free). */
  beforeRestore?(ctx: Ctx, tx: Tx, row: Row): Promise<void>;
}

/** What a guard decides: reading a row, changing it, or deleting and restoring it. */
export type GuardedAction = 'read' | 'update' | 'delete';

/** How an object stored in its own table is written, read and listed. */
export interface RecordLifecycleSpec<Row extends LifecycleRow, Api, Input extends LifecycleInput> {
  key: ObjectType;
  /** Its permissions are `<resource>:read|create|update|delete`. */
  resource: string;
  /** How messages name one record ("Contact"). */
  label: string;
  table: string;
  /**
   * The table is shared by several objects (the kernel's `object_records`): the column telling
   * this object's rows from the others' and its value. Loads and lists are confined to it and
   * inserts set it; the value goes into lists as a literal, so partial indexes on it apply.
   */
  discriminator?: { column: string; value: string };
  /** Rows can be merged into another (contacts, companies): a merged id answers RECORD_MERGED. */
  mergeable: boolean;
  /** The table has no `custom_fields` column (activities): none are validated, listed or written. */
  customFields?: false;
  /**
   * Who a row belongs to for permission checks; by default its owner. Several: any of them
   * grants the action (an activity's owner or assignee).
   */
  guard?: (row: Row, action: GuardedAction) => OwnedRecord | readonly OwnedRecord[];
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
  /**
   * The API shape `present` answers, built by PostgreSQL as json from the row's columns: lists
   * over HTTP send it through unparsed (issue 14). Only for objects whose `present` reads nothing
   * but the row; a test must show both answer the same.
   */
  presentJson?: RawBuilder<unknown>;
  /**
   * The API shape reads rows the hooks rewrite (an activity's links): an update presents the
   * record before writing, so its diff sees them change. By default both are presented after.
   */
  presentBeforeWrite?: boolean;
  /** The columns an input sets, besides custom fields and what hooks add. */
  columns(input: Input): Record<string, unknown>;
  /** The references an input names, each checked to be visible (422 naming the field). */
  references(input: Input): Reference[];
  /** Fields of the API shape an audit diff leaves out, besides the version and timestamps. */
  auditOmit?: readonly string[];
  /** The only fields the created entry's diff names (activities: type and subject); by default all. */
  auditCreatedFields?: readonly string[];
  /** How the assignment notice names the record, and fields its own consumers read. */
  assignment: {
    label(record: Api): string;
    /** Who the notice is for (an activity's assignee); its change is what is announced. */
    ownerOf(record: Api): string | null;
    /** What the record is in words (an activity's type); by default the object's key. */
    kind?: (record: Api) => string;
    /** The record whose page shows this one (an activity's deal); by default none. */
    parent?: (record: Api, ctx: Ctx) => AssignedPayload['parent'];
    extra?: (
      ctx: Ctx,
      record: Api,
      row: Row,
      change: { previousOwnerId: string | null; created: boolean },
    ) => Record<string, unknown>;
    /** Announce a first owner even when the creator owns it (queues and routing rules read it). */
    announceEveryFirstOwner?: boolean;
  };
  /** Further fields of the `<key>.created|updated` events (a custom object's `object` and `resource`). */
  eventPayload?: (record: Api) => Record<string, unknown>;
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
  /** A page of records; `where` narrows it further (an activity list's `assignee=`). */
  list(
    ctx: Ctx,
    query: Record<string, unknown>,
    where?: Expression<SqlBool>[],
  ): Promise<RecordListPage<Api>>;
  /** `list` as the HTTP edge sends it: JSON text built by PostgreSQL when `presentJson` exists. */
  listAsJson(ctx: Ctx, query: Record<string, unknown>): Promise<RecordListPage<Api> | JsonText>;
}
