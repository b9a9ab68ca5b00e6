import type { Ctx } from '../context/index.js';
import type { Tx } from '../db/index.js';
import type { ObjectCapabilities, ObjectDefinition } from './index.js';

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
