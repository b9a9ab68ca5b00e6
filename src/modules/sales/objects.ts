import { createDeal, deleteDeal, getDeal, listDeals, updateDeal } from './deals.js';
import { createLead, deleteLead, getLead, listLeads, updateLead } from './leads.js';
import {
  ERASED,
  type ObjectDefinition,
  type PersonalDataDeclaration,
} from '../../platform/objects/index.js';
import { DEAL_OBJECT_FIELDS } from './deal-fields.js';
import { LEAD_OBJECT_FIELDS } from './lead-fields.js';

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
    // A lead's name and company feed the spelling vocabulary (migration 0008).
    vocabulary: true,
    labels: { singular: 'Lead', plural: 'Leads' },
    titleField: 'name',
    // Its schemas, list fields, relations, labels and field descriptions, from one field list.
    ...LEAD_OBJECT_FIELDS,
    capabilities: {
      trash: true,
      merge: true,
      import: true,
      export: true,
      customFields: true,
      workflows: true,
      timeline: true,
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
    ...DEAL_OBJECT_FIELDS,
    capabilities: {
      trash: true,
      merge: true,
      import: false,
      export: true,
      customFields: true,
      workflows: true,
      timeline: true,
    },
  },
];
