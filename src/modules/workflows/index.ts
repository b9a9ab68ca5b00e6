/** The workflows module: versioned definitions, triggers, the run engine, test runs and the run history. */
import type { Deps } from '../../platform/context/index.js';
import type { JobHandler } from '../../platform/jobs/index.js';
import type { Consumer } from '../../platform/outbox/index.js';
import type { PeriodicTask } from '../../platform/schedule/index.js';
import { fireDateTriggers } from './date-triggers.js';
import { advanceHandler } from './engine.js';
import { workflowRoutes } from './http.js';
import { scheduleHandler } from './starts.js';
import { triggerConsumer } from './triggers.js';

/** REST routes: /workflows, /workflow-runs, /workflow-hooks. */
export const workflowsRoutes = [...workflowRoutes];
/** Starts runs on record events. */
export const workflowsConsumers: Consumer[] = [triggerConsumer];
/** The engine's step job and the schedule trigger's job. */
export const workflowsJobs: JobHandler[] = [advanceHandler, scheduleHandler];
/** The relative-date sweep. */
export const workflowsTasks = (deps: Deps): PeriodicTask[] => [{ name: 'workflows.date-triggers', everyMs: 60_000, run: () => fireDateTriggers(deps) }];

export { fireDateTriggers } from './date-triggers.js';
export { advanceRun } from './engine.js';
export { seedDemoWorkflows, seedDemoWorkflowRuns } from './demo-seed.js';
export { definitionSchema, type Definition, type Step, type Trigger } from './definition.js';
export { MAX_DEPTH, MAX_RUNS_PER_RECORD_PER_MINUTE } from './runs.js';
export { WORKFLOW_EVENTS } from './events.js';
