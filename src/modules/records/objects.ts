import type { ObjectDefinition } from '../../platform/objects/index.js';
import { ACTIVITY_FIELDS } from './activities.js';
import { COMPANY_FIELDS } from './companies.js';
import { CONTACT_FIELDS } from './contacts.js';
import {
  activityCreateBody,
  activitySchema,
  activityUpdateBody,
  companyBody,
  companyCreateBody,
  companySchema,
  contactBody,
  contactCreateBody,
  contactSchema,
} from './http-schemas.js';

const PEOPLE = { ownerId: 'user' } as const;
const FULL = {
  trash: true,
  merge: true,
  import: true,
  export: true,
  customFields: true,
  workflows: true,
  timeline: true,
};

/** Contacts, companies and activities in the object registry. */
export const RECORDS_OBJECTS: readonly ObjectDefinition[] = [
  {
    key: 'contact',
    table: 'contacts',
    resource: 'contacts',
    labels: { singular: 'Contact', plural: 'Contacts' },
    titleField: 'name',
    schema: contactSchema,
    createBody: contactCreateBody,
    updateBody: contactBody,
    listFields: CONTACT_FIELDS,
    relations: { ...PEOPLE, companyId: 'company' },
    capabilities: FULL,
    fieldLabels: { emails: 'Email addresses', phones: 'Phone numbers', leadScore: 'Lead score' },
  },
  {
    key: 'company',
    table: 'companies',
    resource: 'companies',
    labels: { singular: 'Company', plural: 'Companies' },
    titleField: 'name',
    schema: companySchema,
    createBody: companyCreateBody,
    updateBody: companyBody,
    listFields: COMPANY_FIELDS,
    relations: { ...PEOPLE, parentId: 'company' },
    capabilities: FULL,
    fieldLabels: { parentId: 'Parent company' },
  },
  {
    key: 'activity',
    resource: 'activities',
    labels: { singular: 'Activity', plural: 'Activities' },
    titleField: 'subject',
    schema: activitySchema,
    createBody: activityCreateBody,
    updateBody: activityUpdateBody,
    listFields: ACTIVITY_FIELDS,
    relations: {
      ...PEOPLE,
      assigneeId: 'user',
      contactId: 'contact',
      companyId: 'company',
      dealId: 'deal',
      leadId: 'lead',
      ticketId: 'ticket',
    },
    capabilities: {
      trash: false,
      merge: false,
      import: false,
      export: false,
      customFields: false,
      workflows: true,
      timeline: false,
    },
  },
];
