/** The sales module: leads and their conversion, pipelines, deals, board, forecast, quotas. */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import type { NotificationsContributions } from '../notifications/index.js';
import {
  bulkRoutesOf,
  exportRouteOf,
  mergeRoutesOf,
  type RecordsContributions,
} from '../records/index.js';
import { seedDemoDeals } from './demo-seed.js';
import { forecastSnapshotJob, forecastSnapshotSource } from './forecast-snapshots.js';
import { DEAL_SEARCH, purgeExpiredDeals } from './deal-search.js';
import { dealRoutes } from './http-deals.js';
import { historyRoutes } from './http-history.js';
import { leadRoutes } from './http-leads.js';
import { priceListRoutes } from './http-price-lists.js';
import { seedDemoLeads } from './lead-demo-seed.js';
import { LEADS_OF_A_CONTACT } from './lead-gdpr.js';
import { LEAD_IMPORT_KIND } from './lead-import.js';
import { LEAD_SEARCH } from './lead-search.js';
import { mergeRelationsConsumer } from './merge-relations.js';
import { SALES_DEFAULT_GRANTS, SALES_PERMISSIONS } from './permissions.js';
import { DEFAULT_STAGES, insertPipeline } from './pipelines.js';
import { salesReferences } from './references.js';
import {
  purgeExpiredLeads,
  unassignedLeadReminderJob,
  unassignedLeadReminderSource,
} from './reminders.js';
import { SALES_OBJECTS } from './objects.js';

/** Sales as the module list sees it; leads also join the records module's imports, deals and leads its search. */
export const salesModule: ModuleDefinition & RecordsContributions & NotificationsContributions = {
  name: 'sales',
  objects: SALES_OBJECTS,
  routes: [
    ...leadRoutes,
    ...dealRoutes,
    ...priceListRoutes,
    ...historyRoutes,
    ...SALES_OBJECTS.map(exportRouteOf),
    ...bulkRoutesOf(SALES_OBJECTS),
    ...mergeRoutesOf(SALES_OBJECTS),
  ],
  consumers: [mergeRelationsConsumer],
  // A user's work that comes due by itself is a durable job per unit; the trash purges stay sweeps.
  jobs: [forecastSnapshotJob, unassignedLeadReminderJob],
  jobSources: [forecastSnapshotSource, unassignedLeadReminderSource],
  tasks: (deps) => [
    { name: 'sales.purge-trash', everyMs: 3_600_000, run: () => purgeExpiredDeals(deps) },
    { name: 'sales.purge-lead-trash', everyMs: 3_600_000, run: () => purgeExpiredLeads(deps) },
  ],
  references: salesReferences,
  permissions: SALES_PERMISSIONS,
  defaultGrants: SALES_DEFAULT_GRANTS,
  // Every organization starts with one pipeline to put deals in.
  organizationSetup: async (tx, organizationId) => {
    await insertPipeline(tx, organizationId, {
      name: 'Sales',
      isDefault: true,
      stages: DEFAULT_STAGES,
    });
  },
  importKinds: [LEAD_IMPORT_KIND],
  searchProviders: [DEAL_SEARCH, LEAD_SEARCH],
  // A contact's GDPR export and erasure cover the same person's leads.
  personalData: [LEADS_OF_A_CONTACT],
  demoSeed: async (deps, organizationId, adminId) => {
    await seedDemoDeals(deps, organizationId, adminId);
    await seedDemoLeads(deps, organizationId, adminId);
  },
};

export {
  createDeal,
  getDeal,
  updateDeal,
  dealsClosingBetween,
  type Deal,
  type DealInput,
} from './deals.js';
export {
  snapshotForecasts,
  forecastSnapshotJob,
  forecastSnapshotSource,
  FORECAST_SNAPSHOT_JOB,
} from './forecast-snapshots.js';
export { purgeExpiredDeals } from './deal-search.js';
export { seedDemoDeals } from './demo-seed.js';
export { createLead, getLead, listLeads, updateLead, type Lead, type LeadInput } from './leads.js';
export { eraseLead, leadPersonalData, type LeadErasure } from './lead-gdpr.js';
export { convertLead, type Conversion, type ConvertInput } from './conversion.js';
export {
  emitUnassignedLeadReminders,
  purgeExpiredLeads,
  unassignedLeadReminderJob,
  unassignedLeadReminderSource,
  UNASSIGNED_LEAD_REMINDER_JOB,
} from './reminders.js';
export { seedDemoLeads } from './lead-demo-seed.js';
export { LEAD_EVENTS } from './events.js';
export { dealBody, dealCreateBody } from './deal-fields.js';
export { leadBody, leadCreateBody } from './lead-fields.js';
