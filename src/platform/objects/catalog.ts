import type { Ctx } from '../context/index.js';
import type { Tx } from '../db/index.js';
import type { z } from 'zod';
import { referenceCheckerOf, type ReferenceCtx } from '../references/index.js';
import type {
  ObjectCapabilities,
  ObjectDefinition,
  ObjectDescription,
  ObjectLifecycle,
} from './index.js';

/**
 * Every object an organization has, built in or its admins' own, as the rest of the system names
 * them: custom fields, imports, workflows and real time ask this instead of keeping lists of types.
 */
export interface ObjectSummary {
  key: string;
  /** Its REST collection (`/api/v1/{resource}`). */
  resource: string;
  labels: { singular: string; plural: string };
  /** The resource whose permissions guard its records (`contacts`, `custom-records`). */
  permission: string;
  capabilities: ObjectCapabilities;
  /** An admin's object, stored as data. */
  custom: boolean;
}

/** Where an organization's objects defined as data come from (the objects module supplies it). */
export interface ObjectSource {
  list(tx: Tx, organizationId: string): Promise<ObjectSummary[]>;
  /** Builds what its lists need for a newly defined field (a typed expression index). */
  fieldDefined(ctx: Ctx, objectKey: string, field: { key: string; type: string }): Promise<void>;
  /** The records of one of these objects through its services (the key is checked when called). */
  lifecycle(objectKey: string): ObjectLifecycle;
  /** One of these objects as clients see it (its fields, its bulk actions); undefined when unknown. */
  describe(
    tx: Tx,
    organizationId: string,
    objectKey: string,
  ): Promise<ObjectDescription | undefined>;
  /** The body of a create or update of any of them (checked against the object's fields by the services). */
  recordBody: z.ZodType;
  /** The permission resource guarding their records. */
  permission: string;
  /** The table their records live in; a merged record's `merged_into` names its survivor. */
  recordsTable: string;
  /**
   * Points a relation field of one object's records from `fromId` to `toId` (a merge's source to
   * its survivor, and back on undo, then only for `onlyIds`); answers the ids of the records changed.
   */
  moveRelation(
    tx: Tx,
    organizationId: string,
    objectKey: string,
    field: string,
    fromId: string,
    toId: string,
    onlyIds?: readonly string[],
  ): Promise<string[]>;
  /** Its single-record relation fields and the object each points at (`client` → `company`). */
  relations(tx: Tx, organizationId: string, objectKey: string): Promise<Record<string, string>>;
  /**
   * Which of `ids` are live records of the object that the actor may read; a missing, foreign,
   * trashed or hidden id is left out alike (an unknown object key leaves out every id).
   */
  visibleRecords(
    ctx: ReferenceCtx,
    tx: Tx,
    objectKey: string,
    ids: readonly string[],
  ): Promise<ReadonlySet<string>>;
}

/** What the catalog reads: the modules' declarations and, when a module supplies one, the data source. */
export interface ObjectCatalog {
  objects: ReadonlyMap<string, ObjectDefinition>;
  objectSource: ObjectSource | null;
}

const summaryOf = (o: ObjectDefinition): ObjectSummary => ({
  key: o.key,
  resource: o.resource,
  labels: o.labels,
  permission: o.resource,
  capabilities: o.capabilities,
  custom: false,
});

/** The organization's objects: the built-in ones in module order, then its custom ones. */
export async function objectsOf(
  catalog: ObjectCatalog,
  tx: Tx,
  organizationId: string,
): Promise<ObjectSummary[]> {
  const builtIn = [...catalog.objects.values()].map(summaryOf);
  const custom = catalog.objectSource ? await catalog.objectSource.list(tx, organizationId) : [];
  return [...builtIn, ...custom];
}

/** One object by key, or undefined when the organization has none by that key. */
export async function findObject(
  catalog: ObjectCatalog,
  tx: Tx,
  organizationId: string,
  key: string,
): Promise<ObjectSummary | undefined> {
  const builtIn = catalog.objects.get(key);
  if (builtIn) return summaryOf(builtIn);
  const custom = catalog.objectSource ? await catalog.objectSource.list(tx, organizationId) : [];
  return custom.find((o) => o.key === key);
}

/**
 * Which of `ids` are live records of the object `key` that the actor may read, whatever module
 * keeps them: a built-in object through its module's reference checker, one kept as data through
 * the object source. Missing, foreign, trashed and hidden ids are all left out, so a caller's
 * answer (a 422 naming the field) reveals nothing about which it was.
 */
export async function visibleRecords(
  catalog: ObjectCatalog,
  ctx: ReferenceCtx,
  tx: Tx,
  key: string,
  ids: readonly string[],
): Promise<ReadonlySet<string>> {
  if (ids.length === 0) return new Set();
  if (catalog.objects.has(key)) {
    const checker = referenceCheckerOf(key);
    return checker ? checker.lookup(ctx, tx, ids) : new Set();
  }
  return catalog.objectSource ? catalog.objectSource.visibleRecords(ctx, tx, key, ids) : new Set();
}
