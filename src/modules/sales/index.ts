/** The sales module: leads and their conversion, pipelines, deals, board, forecast, quotas. */
import { dealRoutes } from './http-deals.js';
import { leadRoutes } from './http-leads.js';

export const salesRoutes = [...leadRoutes, ...dealRoutes];
export { createLead, getLead, updateLead, type Lead, type LeadInput } from './leads.js';
export { listLeads } from './lead-list.js';
export { convertLead, registerDealFactory, type DealFactory, type DealFactoryInput, type Conversion, type ConvertInput } from './conversion.js';
export { emitUnassignedLeadReminders, purgeExpiredLeads } from './reminders.js';
export { seedDemoLeads } from './demo-seed.js';
export { LEAD_EVENTS } from './events.js';
