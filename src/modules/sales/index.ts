/** The sales module: leads and their conversion, pipelines, deals, board, forecast, quotas. */
import type { Deps } from '../../platform/context/index.js';
import type { PeriodicTask } from '../../platform/schedule/index.js';
import { registerOrganizationSetup } from '../identity/index.js';
import { snapshotForecasts } from './forecast.js';
import { purgeExpiredDeals } from './deal-search.js';
import { dealRoutes } from './http-deals.js';
import { leadRoutes } from './http-leads.js';
import { mergeRelationsConsumer } from './merge-relations.js';
import { registerLeadImports } from './lead-import.js';
import { emitUnassignedLeadReminders, purgeExpiredLeads } from './reminders.js';
import { DEFAULT_STAGES, insertPipeline } from './pipelines.js';

registerLeadImports();

registerOrganizationSetup(async (tx, organizationId) => {
  await insertPipeline(tx, organizationId, { name: 'Sales', isDefault: true, stages: DEFAULT_STAGES });
});


export const salesRoutes = [...leadRoutes, ...dealRoutes];

export { salesReferences } from './references.js';

export const salesConsumers = [mergeRelationsConsumer];

export const salesTasks = (deps: Deps): PeriodicTask[] => [
  { name: 'sales.forecast-snapshots', everyMs: 3_600_000, run: () => snapshotForecasts(deps) },
  { name: 'sales.purge-trash', everyMs: 3_600_000, run: () => purgeExpiredDeals(deps) },
  { name: 'sales.unassigned-lead-reminders', everyMs: 60_000, run: () => emitUnassignedLeadReminders(deps) },
  { name: 'sales.purge-lead-trash', everyMs: 3_600_000, run: () => purgeExpiredLeads(deps) },
];

export { createDeal, getDeal, updateDeal, dealsClosingBetween, type Deal, type DealInput } from './deals.js';
export { snapshotForecasts } from './forecast.js';
export { purgeExpiredDeals } from './deal-search.js';
export { seedDemoDeals } from './demo-seed.js';
export { createLead, getLead, updateLead, type Lead, type LeadInput } from './leads.js';
export { listLeads } from './lead-list.js';
export { convertLead, type Conversion, type ConvertInput } from './conversion.js';
export { emitUnassignedLeadReminders, purgeExpiredLeads } from './reminders.js';
export { seedDemoLeads } from './lead-demo-seed.js';
export { LEAD_EVENTS } from './events.js';
export { dealBody, dealCreateBody } from './http-schemas.js';
export { leadBody, leadCreateBody } from './lead-schemas.js';
