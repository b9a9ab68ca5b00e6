/**
 * The module list: one line per module. Everything the process needs of the modules is derived
 * from it here — routes, consumers, jobs, job sources, sweeps, reference checkers, the permission catalog and
 * default roles, organization setups, demo seeds — and handed over at start-up (`wireModules`,
 * called by createDeps). Importing a module registers nothing.
 */
import type { Deps } from '../platform/context/index.js';
import type { RouteDef } from '../platform/http/index.js';
import { jobSourceTask, type JobHandler, type JobSource } from '../platform/jobs/index.js';
import {
  buildModuleRegistry,
  type ModuleDefinition,
  type ModuleRegistry,
} from '../platform/module-definition/index.js';
import type { Consumer } from '../platform/context/index.js';
import { installReferenceCheckers } from '../platform/references/index.js';
import type { PeriodicTask } from '../platform/schedule/index.js';
import { automationModule } from './automation/index.js';
import { contactsModule } from './contacts/index.js';
import { identityModule } from './identity/index.js';
import { insightsModule } from './insights/index.js';
import { jobsAdminModule } from './jobs-admin/index.js';
import { marketingModule } from './marketing/index.js';
import { notesModule } from './notes/index.js';
import { installDeclaredObjects, objectsModule } from './objects/index.js';
import {
  installRealtimeResources,
  notificationsModule,
  type NotificationsContributions,
} from './notifications/index.js';
import {
  installRecordsContributions,
  recordsModule,
  type RecordsContributions,
} from './records/index.js';
import { salesModule } from './sales/index.js';
import { supportModule } from './support/index.js';
import { installWorkflowObjects, workflowsModule } from './workflows/index.js';

/** Every module, in the order its routes, setups and demo seeds run. */
export const MODULES: ReadonlyArray<
  ModuleDefinition & RecordsContributions & NotificationsContributions
> = [
  identityModule,
  contactsModule,
  recordsModule,
  salesModule,
  supportModule,
  notificationsModule,
  automationModule,
  workflowsModule,
  jobsAdminModule,
  marketingModule,
  objectsModule,
  notesModule,
  insightsModule,
];

export const ALL_ROUTES: readonly RouteDef[] = MODULES.flatMap((m) => m.routes ?? []);
export const ALL_CONSUMERS: readonly Consumer[] = MODULES.flatMap((m) => m.consumers ?? []);
/** Every module's job handlers, run by the workers' job runner. */
export const ALL_JOB_HANDLERS: readonly JobHandler[] = MODULES.flatMap((m) => m.jobs ?? []);

/** Every module's job sources: what enqueues the work that comes due by itself. */
export const ALL_JOB_SOURCES: readonly JobSource[] = MODULES.flatMap((m) => m.jobSources ?? []);

/** Every module's periodic tasks and the passes of its job sources, bound to the process adapters. */
export const periodicTasks = (deps: Deps): PeriodicTask[] => [
  ...MODULES.flatMap((m) => m.tasks?.(deps) ?? []),
  ...ALL_JOB_SOURCES.map((source) => jobSourceTask(source, deps)),
];

/** The permission catalog, default roles, organization setups, owner lookups and demo seeds. */
export const MODULE_REGISTRY: ModuleRegistry = buildModuleRegistry(MODULES);

/**
 * Hands the modules' reference checkers, import kinds, search providers, personal data sources
 * and real-time record types to the registries that serve them (platform/references, records,
 * notifications) and answers the registry for `deps.modules`. Idempotent: every createDeps of
 * the process calls it.
 */
export function wireModules(): ModuleRegistry {
  installReferenceCheckers(MODULES.flatMap((m) => m.references ?? []));
  installRecordsContributions(MODULES);
  installRealtimeResources(MODULE_REGISTRY.objects.values(), MODULES);
  installWorkflowObjects(MODULE_REGISTRY.objects.values(), MODULE_REGISTRY.objectSource);
  installDeclaredObjects(MODULE_REGISTRY.dataObjects);
  return MODULE_REGISTRY;
}
