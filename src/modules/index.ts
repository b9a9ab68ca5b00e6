import type { RouteDef } from '../platform/http/index.js';
import type { Consumer } from '../platform/outbox/index.js';
import { identityConsumers, identityReferences, identityRoutes } from './identity/index.js';
import { emitDueTaskReminders, purgeExpiredTrash, recordsJobs, recordsReferences, recordsRoutes } from './records/index.js';
import { salesConsumers, salesReferences, salesRoutes, salesTasks } from './sales/index.js';
import { supportConsumers, supportReferences, supportRoutes, supportTasks } from './support/index.js';
import { notificationConsumer, notificationRoutes, realtimeConsumer } from './notifications/index.js';
import { automationConsumers, automationRoutes, automationTasks } from './automation/index.js';
import { workflowsConsumers, workflowsJobs, workflowsRoutes, workflowsTasks } from './workflows/index.js';
import { jobRoutes } from './jobs-admin/index.js';
import type { Deps } from '../platform/context/index.js';
import type { JobHandler } from '../platform/jobs/index.js';
import type { PeriodicTask } from '../platform/schedule/index.js';
import { installReferenceCheckers, type ReferenceChecker } from '../platform/references/index.js';

/** One line per module: its routes and its event consumers. */
interface ModuleEntry {
  name: string;
  routes: readonly RouteDef[];
  consumers: readonly Consumer[];
  /** Idempotent sweeps the worker runs on an interval. */
  tasks?: (deps: Deps) => PeriodicTask[];
  /** Handlers of the background jobs this module enqueues (platform/jobs). */
  jobs?: readonly JobHandler[];
  /** The kinds of record this module owns that other records may link to (platform/references). */
  references?: readonly ReferenceChecker[];
}

export const MODULES: readonly ModuleEntry[] = [
  { name: 'identity', routes: identityRoutes, consumers: identityConsumers, references: identityReferences },
  {
    name: 'records',
    routes: recordsRoutes,
    consumers: [],
    references: recordsReferences,
    jobs: recordsJobs,
    tasks: (deps) => [
      { name: 'records.task-reminders', everyMs: 30_000, run: () => emitDueTaskReminders(deps) },
      { name: 'records.purge-trash', everyMs: 3_600_000, run: () => purgeExpiredTrash(deps) },
    ],
  },
  { name: 'sales', routes: salesRoutes, consumers: salesConsumers, tasks: salesTasks, references: salesReferences },
  { name: 'support', routes: supportRoutes, consumers: supportConsumers, tasks: supportTasks, references: supportReferences },
  { name: 'notifications', routes: notificationRoutes, consumers: [notificationConsumer, realtimeConsumer] },
  { name: 'automation', routes: automationRoutes, consumers: automationConsumers, tasks: automationTasks },
  { name: 'workflows', routes: workflowsRoutes, consumers: workflowsConsumers, tasks: workflowsTasks, jobs: workflowsJobs },
  { name: 'jobs-admin', routes: jobRoutes, consumers: [] },
];

export const ALL_ROUTES: readonly RouteDef[] = MODULES.flatMap((m) => m.routes);
export const ALL_CONSUMERS: readonly Consumer[] = MODULES.flatMap((m) => m.consumers);
/** Every module's checkers of links to its records, installed once here for assertReferences. */
export const ALL_REFERENCE_CHECKERS: readonly ReferenceChecker[] = MODULES.flatMap((m) => m.references ?? []);
installReferenceCheckers(ALL_REFERENCE_CHECKERS);
/** Every module's job handlers, run by the workers' job runner. */
export const ALL_JOB_HANDLERS: readonly JobHandler[] = MODULES.flatMap((m) => m.jobs ?? []);

/** Every module's periodic tasks, bound to the process adapters. */
export const periodicTasks = (deps: Deps): PeriodicTask[] => MODULES.flatMap((m) => m.tasks?.(deps) ?? []);
