import { createDeal, deleteDeal, getDeal, listDeals, updateDeal } from './deals.js';
import { createLead, deleteLead, getLead, listLeads, updateLead } from './leads.js';
import {
  ERASED,
  type ObjectDefinition,
  type PersonalDataDeclaration,
} from '../../platform/objects/index.js';
import { DEAL_FIELDS } from './deals.js';
import { dealBody, dealCreateBody, dealSchema } from './http-schemas.js';
import { LEAD_FIELDS } from './lead-fields.js';
import { leadBody, leadCreateBody, leadSchema } from './lead-schemas.js';

/**
 * What of a lead is the person's (GDPR): erasure blanks these. Status, source, country, company
 * size, score, owner and conversion stay, so lead reports and routing figures keep adding up.
 */
export const LEAD_PERSONAL_FIELDS: PersonalDataDeclaration = {
  fields: [
    ...['firstName', 'lastName', 'email', 'phone', 'companyName', 'title', 'notes'],
    ...['tags', 'customFields'],
  ],
  emailFields: ['email'],
  // The name shows in lists; custom fields are a JSON column, tags a text array.
  erasedValues: { firstName: ERASED, tags: [], customFields: '{}' },
};

/** Leads and deals in the object registry. */
export const SALES_OBJECTS: readonly ObjectDefinition[] = [
  {
    key: 'lead',
    lifecycle: {
      get: getLead,
      create: createLead,
      update: updateLead,
      delete: deleteLead,
      list: listLeads,
      ownerField: 'ownerId',
    },
    table: 'leads',
    resource: 'leads',
    labels: { singular: 'Lead', plural: 'Leads' },
    titleField: 'name',
    schema: leadSchema,
    createBody: leadCreateBody,
    updateBody: leadBody,
    listFields: LEAD_FIELDS,
    relations: {
      ownerId: 'user',
      teamId: 'team',
      formId: 'form',
      convertedContactId: 'contact',
      convertedCompanyId: 'company',
      convertedDealId: 'deal',
    },
    capabilities: {
      trash: true,
      merge: false,
      import: true,
      export: true,
      customFields: true,
      workflows: true,
      timeline: true,
    },
    fieldLabels: {
      formId: 'Web form',
      convertedContactId: 'Converted to contact',
      convertedCompanyId: 'Converted to company',
      convertedDealId: 'Converted to deal',
    },
    personalData: LEAD_PERSONAL_FIELDS,
  },
  {
    key: 'deal',
    lifecycle: {
      get: getDeal,
      create: createDeal,
      update: updateDeal,
      delete: deleteDeal,
      list: listDeals,
      ownerField: 'ownerId',
    },
    table: 'deals',
    resource: 'deals',
    labels: { singular: 'Deal', plural: 'Deals' },
    titleField: 'name',
    schema: dealSchema,
    createBody: dealCreateBody,
    updateBody: dealBody,
    listFields: DEAL_FIELDS,
    relations: {
      ownerId: 'user',
      contactId: 'contact',
      companyId: 'company',
      leadId: 'lead',
      pipelineId: 'pipeline',
      stageId: 'stage',
    },
    capabilities: {
      trash: true,
      merge: false,
      import: false,
      export: true,
      customFields: true,
      workflows: true,
      timeline: true,
    },
  },
];
