/** The workflows module: versioned definitions, triggers, the run engine, test runs and the run history. */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import { dateTriggerJob, dateTriggerSource } from './date-triggers.js';
import { seedDemoWorkflowRuns, seedDemoWorkflows } from './demo-seed.js';
import { sendEmailHandler } from './email-job.js';
import { advanceHandler } from './engine.js';
import { workflowRoutes } from './http.js';
import { scheduleHandler } from './starts.js';
import { triggerConsumer } from './triggers.js';

/**
 * Workflows as the module list sees it: /workflows, /workflow-runs and /workflow-hooks, the
 * consumer that starts runs on record events, the engine's step job and the schedule trigger's
 * job, and the relative-date trigger's source and job (a run per record and date). Only admins get its resource.
 */
export const workflowsModule: ModuleDefinition = {
  name: 'workflows',
  routes: workflowRoutes,
  consumers: [triggerConsumer],
  jobs: [advanceHandler, sendEmailHandler, scheduleHandler, dateTriggerJob],
  jobSources: [dateTriggerSource],
  permissions: [{ resource: 'workflows', actions: ['read', 'create', 'update', 'delete'] }],
  // The two sample workflows, then two leads created through the service for them to welcome.
  demoSeed: async (deps, organizationId, adminId) => {
    await seedDemoWorkflows(deps, organizationId, adminId);
    await seedDemoWorkflowRuns(deps, organizationId, adminId);
  },
};

export {
  fireDateTriggers,
  dateTriggerJob,
  dateTriggerSource,
  DATE_TRIGGER_JOB,
} from './date-triggers.js';
export { advanceRun } from './engine.js';
export { seedDemoWorkflows, seedDemoWorkflowRuns } from './demo-seed.js';
export { definitionSchema, type Definition, type Step, type Trigger } from './definition.js';
export { MAX_DEPTH, MAX_RUNS_PER_RECORD_PER_MINUTE } from './runs.js';
export { WORKFLOW_EVENTS } from './events.js';

export { installWorkflowObjects } from './objects.js';
