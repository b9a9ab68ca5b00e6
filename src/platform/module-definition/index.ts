import {
  defaultRoles,
  permissionsOf,
  type DefaultGrants,
  type OwnedRecord,
  type PermissionCatalog,
  type RoleTemplate,
} from '../authz/index.js';
import type { Consumer, Deps } from '../context/index.js';
import type { Tx } from '../db/index.js';
import type { RouteDef } from '../http/index.js';
import type { JobHandler, JobSource } from '../jobs/index.js';
import {
  objectRegistry,
  type DataObjectDeclaration,
  type ObjectDefinition,
  type ObjectSource,
} from '../objects/index.js';
import type { ReferenceChecker } from '../references/index.js';
import type { PeriodicTask } from '../schedule/index.js';

/**
 * How a module declares itself: its `index.ts` exports exactly one of these, and
 * `modules/index.ts` lists them. Everything the process needs of a module is read from here at
 * start-up — nothing registers itself when a file is imported.
 */

/** Work a module does inside a new organization's first transaction (e.g. its default pipeline). */
export type OrganizationSetup = (tx: Tx, organizationId: string) => Promise<void>;

/** Fills a fresh demo organization with this module's sample data, as `adminId` would have. */
export type DemoSeed = (deps: Deps, organizationId: string, adminId: string) => Promise<void>;

/** Finds who owns a record of one resource, so access to it can be explained (roles settings). */
export type OwnerResolver = (
  tx: Tx,
  organizationId: string,
  id: string,
) => Promise<OwnedRecord | null>;

/** One module: what it serves, what it runs in the background and what it adds to every organization. */
export interface ModuleDefinition {
  /** The folder name under `src/modules/`. */
  name: string;
  routes?: readonly RouteDef[];
  /** Event consumers the workers run. */
  consumers?: readonly Consumer[];
  /** Handlers of the background jobs this module enqueues (platform/jobs). */
  jobs?: readonly JobHandler[];
  /** What finds this module's work that comes due by itself and enqueues a job per unit. */
  jobSources?: readonly JobSource[];
  /** Idempotent maintenance sweeps the worker runs on an interval (purges); a user's work is a job. */
  tasks?: (deps: Deps) => PeriodicTask[];
  /** The kinds of record this module owns that other records may link to (platform/references). */
  references?: readonly ReferenceChecker[];
  /** The resources this module guards and their actions (the permission catalog's entries). */
  permissions?: PermissionCatalog;
  /** What each built-in role gets of this module's resources. */
  defaultGrants?: DefaultGrants;
  /** How to find the owner of a record, per resource, for "why can this user see it?". */
  owners?: Readonly<Record<string, OwnerResolver>>;
  /** What every new organization needs of this module, in the transaction that creates it. */
  organizationSetup?: OrganizationSetup;
  /** Sample data for the first run's demo organization; seeds run in module list order. */
  demoSeed?: DemoSeed;
  /** The record types this module owns (the object registry, `GET /api/v1/objects`). */
  objects?: readonly ObjectDefinition[];
  /** Objects an organization defines as data (at most one module supplies them). */
  objectSource?: ObjectSource;
  /** Built-in objects kept in the object kernel's storage (the objects module serves them). */
  dataObjects?: readonly DataObjectDeclaration[];
}

/** What the module list yields for the running process; reached through `deps.modules`. */
export interface ModuleRegistry {
  /** Every resource and action a role can be granted, in module order. */
  permissions: PermissionCatalog;
  /** Every `resource:action` of the catalog. */
  allPermissions: readonly string[];
  /** The roles every new organization starts with. */
  defaultRoles: readonly RoleTemplate[];
  /** Every module's organization setup, in module order. */
  organizationSetups: readonly OrganizationSetup[];
  /** Owner lookups by resource. */
  owners: ReadonlyMap<string, OwnerResolver>;
  /** Every module's demo seed, in module order. */
  demoSeeds: readonly DemoSeed[];
  /** Every record type by key, in module order. */
  objects: ReadonlyMap<string, ObjectDefinition>;
  /** Where each organization's own objects come from, when a module supplies them. */
  objectSource: ObjectSource | null;
  /** Every module's built-in objects kept in the kernel's storage, in module order. */
  dataObjects: readonly DataObjectDeclaration[];
}

/** Joins the modules' declarations; throws on a resource or owner lookup declared twice. */
export function buildModuleRegistry(modules: readonly ModuleDefinition[]): ModuleRegistry {
  const permissions = modules.flatMap((m) => m.permissions ?? []);
  assertUnique(
    permissions.map((p) => p.resource),
    'permission resource',
  );
  const owners = modules.flatMap((m) => Object.entries(m.owners ?? {}));
  assertUnique(
    owners.map(([resource]) => resource),
    'owner lookup',
  );
  return {
    permissions,
    allPermissions: permissionsOf(permissions),
    defaultRoles: defaultRoles(
      permissions,
      modules.flatMap((m) => (m.defaultGrants ? [m.defaultGrants] : [])),
    ),
    organizationSetups: modules.flatMap((m) => (m.organizationSetup ? [m.organizationSetup] : [])),
    owners: new Map(owners),
    demoSeeds: modules.flatMap((m) => (m.demoSeed ? [m.demoSeed] : [])),
    objects: objectRegistry(modules.flatMap((m) => m.objects ?? [])),
    objectSource: onlyOne(modules.flatMap((m) => (m.objectSource ? [m.objectSource] : []))),
    dataObjects: modules.flatMap((m) => m.dataObjects ?? []),
  };
}

function onlyOne<T>(sources: readonly T[]): T | null {
  if (sources.length > 1) throw new Error('two modules supply objects defined as data');
  return sources[0] ?? null;
}

function assertUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    // A programming error in the module list, caught at start-up rather than by a wrong grant.
    if (seen.has(name)) throw new Error(`two modules declare the ${what} "${name}"`);
    seen.add(name);
  }
}
