import type { z } from 'zod';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { errors, type ErrorDetail } from '../../platform/errors/index.js';
import {
  objectsOf,
  type ObjectDefinition,
  type ObjectLifecycle,
  type ObjectSource,
} from '../../platform/objects/index.js';
import type { WorkflowObject } from './definition.js';

/** A record as workflows see it: the API shape of the record. */
export type RecordData = Record<string, unknown> & { id: string };

/**
 * How workflows read, create and change each record type: through the owning module's services
 * (so permissions, validation, audit and events are theirs) with the same zod bodies as the REST
 * routes, so a workflow can set exactly what an API client can.
 */
interface ObjectOps extends ObjectLifecycle {
  createBody: z.ZodType;
  updateBody: z.ZodType;
  /** The resource its permissions are named after (`deals:update`). */
  resource: string;
}

let builtIn = new Map<string, ObjectOps>();
/** Each built-in object's declared relations (field → object key), from the registry. */
let builtInRelations = new Map<string, Readonly<Record<string, string>>>();
let dataObjects: ObjectSource | null = null;

/**
 * Makes the registry's objects (and, through the module that supplies them, the objects an
 * organization defines as data) known to workflows; the module list calls it at start-up.
 */
export function installWorkflowObjects(
  objects: Iterable<ObjectDefinition>,
  source: ObjectSource | null,
): void {
  // Read once: the module list hands over an iterator.
  const list = [...objects];
  builtIn = new Map(
    list.flatMap((o) =>
      o.lifecycle && o.capabilities.workflows
        ? [
            [
              o.key,
              {
                ...o.lifecycle,
                createBody: o.createBody,
                updateBody: o.updateBody,
                resource: o.resource,
              },
            ] as const,
          ]
        : [],
    ),
  );
  builtInRelations = new Map(list.map((o) => [o.key, o.relations]));
  dataObjects = source;
}

/** The ops of an object; one defined as data is resolved by its services, which 404 an unknown key. */
function opsOf(object: WorkflowObject): ObjectOps {
  const known = builtIn.get(object);
  if (known) return known;
  if (!dataObjects)
    throw errors.validation([{ path: 'object', message: `${object} takes no workflows` }]);
  return {
    ...dataObjects.lifecycle(object),
    createBody: dataObjects.recordBody,
    updateBody: dataObjects.recordBody,
    resource: dataObjects.permission,
  };
}

/** Whether an object key names a built-in object that takes workflows (others are checked against the organization's). */
export const isBuiltInWorkflowObject = (object: string): boolean => builtIn.has(object);

const asRecord = (v: unknown): RecordData => v as RecordData;

/** Field problems of a body, named like the step's `values.<field>` so the run log says which. */
function parse(schema: z.ZodType, values: Record<string, unknown>): unknown {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((i) => ({
    path: ['values', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw errors.validation(details);
}

/**
 * Throws unless the actor may change this record (its module's update right, within scope): a
 * manual run acts on the record with the workflow's rights, so reading it is not enough.
 */
export function authorizeChange(ctx: Ctx, object: WorkflowObject, record: RecordData): void {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  authorize(ctx, `${opsOf(object).resource}:update`, {
    ownerId: text(record.ownerId),
    teamId: text(record.teamId),
  });
}

/** Reads a record through its module (404 when it is gone). */
export async function readRecord(
  ctx: Ctx,
  object: WorkflowObject,
  id: string,
): Promise<RecordData> {
  return asRecord(await opsOf(object).get(ctx, id));
}

/** Creates a record from rendered values, validated like a POST body. */
export async function createRecord(
  ctx: Ctx,
  object: WorkflowObject,
  values: Record<string, unknown>,
): Promise<RecordData> {
  const ops = opsOf(object);
  return asRecord(await ops.create(ctx, parse(ops.createBody, values) as never));
}

/**
 * Changes a record with rendered values, validated like a PATCH body. `expectedVersion` makes the
 * write fail (412) when the record changed since it was read, like an API client's If-Match.
 */
export async function updateRecord(
  ctx: Ctx,
  object: WorkflowObject,
  id: string,
  values: Record<string, unknown>,
  expectedVersion?: number,
): Promise<RecordData> {
  const ops = opsOf(object);
  return asRecord(
    await ops.update(ctx, id, parse(ops.updateBody, values) as never, expectedVersion),
  );
}

/** The owner field of a record type (`assigneeId` for activities). */
export const ownerFieldOf = (object: WorkflowObject): 'ownerId' | 'assigneeId' =>
  opsOf(object).ownerField;

/** Field problems of values against a record type's body, without writing (publish checks and test runs). */
export function checkValues(
  object: WorkflowObject,
  values: Record<string, unknown>,
  mode: 'create' | 'update',
): ErrorDetail[] {
  const ops = opsOf(object);
  const result = (mode === 'create' ? ops.createBody : ops.updateBody).safeParse(values);
  return result.success
    ? []
    : result.error.issues.map((i) => ({
        path: ['values', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
}

/**
 * The trigger object's links to other records: the relations its registry entry declares
 * (`contactId` → `contact`), or an object defined as data's relation fields (`client` →
 * `company`), kept to the targets workflows can read (not users, teams or pipeline stages).
 */
async function linkedObjectsOf(ctx: Ctx, object: WorkflowObject): Promise<Array<[string, string]>> {
  const declared = builtInRelations.get(object);
  const source = dataObjects;
  const relations = declared
    ? Object.entries(declared)
    : source
      ? Object.entries(await ctx.tx((tx) => source.relations(tx, ctx.organizationId, object)))
      : [];
  if (relations.every(([, target]) => builtIn.has(target))) return relations;
  const known = await ctx.tx(async (tx) =>
    (await objectsOf(ctx.deps.modules, tx, ctx.organizationId))
      .filter((o) => o.capabilities.workflows)
      .map((o) => o.key),
  );
  return relations.filter(([, target]) => known.includes(target));
}

/**
 * The run's data with the trigger record's linked records filled in under their objects' keys
 * (a deal's contact and company, a task's ticket, a note's deal, …), read through each object's
 * lifecycle, so templates can read `{{contact.email}}` whatever record started the run. The
 * engine and the test run both call it, so a test run sees what a real run will.
 */
export async function withLinkedRecords(
  ctx: Ctx,
  object: WorkflowObject | null,
  data: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const record = (data.record ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...data };
  for (const [field, target] of object ? await linkedObjectsOf(ctx, object) : []) {
    const id = record[field];
    if (typeof id !== 'string' || out[target]) continue;
    out[target] = await readRecord(ctx, target, id).catch(() => null);
  }
  out.prepared = true;
  return out;
}
