import {
  ERASED,
  type ExportColumn,
  type ObjectDefinition,
  type PersonalDataDeclaration,
} from '../../platform/objects/index.js';
import { columnsOfFields, partOf } from '../records/index.js';
import {
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  updateCompany,
} from './companies.js';
import { COMPANY_OBJECT_FIELDS } from './company-fields.js';
import { CONTACT_OBJECT_FIELDS } from './contact-fields.js';
import {
  createContact,
  deleteContact,
  getContact,
  listContacts,
  updateContact,
} from './contacts.js';

const FULL = {
  trash: true,
  merge: true,
  import: true,
  export: true,
  customFields: true,
  workflows: true,
  timeline: true,
};

/** Columns named by their field's key, holding its value as it is. */
const plain = (...keys: string[]): ExportColumn[] =>
  columnsOfFields(keys.map((key) => ({ key, custom: false })));

/**
 * A contact's export, part of the API contract: the primary email and phone rather than the lists,
 * the address as one column per part, the consent as its status.
 */
const CONTACT_EXPORT: readonly ExportColumn[] = [
  ...plain('id', 'firstName', 'lastName', 'email', 'phone', 'title', 'companyId', 'ownerId'),
  ...plain('status', 'source', 'tags'),
  ...['street', 'city', 'region', 'postalCode', 'country'].map((part) => ({
    header: part,
    field: 'address',
    value: partOf('address', part),
  })),
  { header: 'emailConsent', field: 'emailConsent', value: partOf('emailConsent', 'status') },
  ...plain('leadScore', 'lastContactedAt', 'createdAt', 'updatedAt'),
];

/** A company's export, part of the API contract: the revenue as its amount and its currency. */
const COMPANY_EXPORT: readonly ExportColumn[] = [
  ...plain('id', 'name', 'domain', 'industry', 'size'),
  { header: 'annualRevenue', field: 'annualRevenue', value: partOf('annualRevenue', 'amount') },
  { header: 'currency', field: 'annualRevenue', value: partOf('annualRevenue', 'currency') },
  ...plain('website', 'phone', 'ownerId', 'parentId', 'createdAt', 'updatedAt'),
];

/**
 * What of a contact is the person's (GDPR): erasure blanks these and keeps the rest — status,
 * company, owner, score and dates — so the organization's figures keep adding up.
 */
export const CONTACT_PERSONAL_FIELDS: PersonalDataDeclaration = {
  fields: [
    ...['firstName', 'lastName', 'email', 'emails', 'phone', 'phones', 'title', 'address'],
    ...['socialProfiles', 'customFields', 'source', 'tags'],
  ],
  emailFields: ['email', 'emails'],
  // The name is required; the lists and maps are JSON columns, the tags a text array.
  erasedValues: {
    firstName: ERASED,
    emails: '[]',
    phones: '[]',
    socialProfiles: '{}',
    customFields: '{}',
    tags: [],
  },
};

/** Contacts and companies in the object registry. */
export const CONTACTS_OBJECTS: readonly ObjectDefinition[] = [
  {
    key: 'contact',
    lifecycle: {
      get: getContact,
      create: createContact,
      update: updateContact,
      delete: deleteContact,
      list: listContacts,
      ownerField: 'ownerId',
    },
    table: 'contacts',
    resource: 'contacts',
    labels: { singular: 'Contact', plural: 'Contacts' },
    titleField: 'name',
    // Its schemas, list fields, relations, labels and field descriptions, from one field list.
    ...CONTACT_OBJECT_FIELDS,
    capabilities: FULL,
    vocabulary: true,
    backgroundParent: true,
    // `email` and `phone` are the primaries of `emails` and `phones`, which are combined.
    mergeRules: { derived: ['email', 'phone'] },
    exportColumns: CONTACT_EXPORT,
    personalData: CONTACT_PERSONAL_FIELDS,
    // A done call, email or meeting with the person moves it.
    lastContactedColumn: 'last_contacted_at',
  },
  {
    key: 'company',
    lifecycle: {
      get: getCompany,
      create: createCompany,
      update: updateCompany,
      delete: deleteCompany,
      list: listCompanies,
      ownerField: 'ownerId',
    },
    table: 'companies',
    resource: 'companies',
    labels: { singular: 'Company', plural: 'Companies' },
    titleField: 'name',
    // Its schemas, list fields, relations, labels and field descriptions, from one field list.
    ...COMPANY_OBJECT_FIELDS,
    capabilities: FULL,
    vocabulary: true,
    backgroundParent: true,
    exportColumns: COMPANY_EXPORT,
  },
];
