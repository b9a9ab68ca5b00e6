/**
 * Contact fields an import column can fill. `companyName`/`companyDomain` do not create companies:
 * they link each contact to an existing one. `custom.<key>` targets a custom field.
 */
export const CONTACT_IMPORT_FIELDS = [
  'firstName',
  'lastName',
  'fullName',
  'email',
  'phone',
  'title',
  'status',
  'source',
  'tags',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'companyName',
  'companyDomain',
] as const;
/** Company fields an import column can fill; `annualRevenue` is read in major units ("1,200,000.50"). */
export const COMPANY_IMPORT_FIELDS = [
  'name',
  'domain',
  'website',
  'industry',
  'size',
  'annualRevenue',
  'currency',
  'phone',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
] as const;

type ContactField = (typeof CONTACT_IMPORT_FIELDS)[number];
type CompanyField = (typeof COMPANY_IMPORT_FIELDS)[number];

/**
 * Header spellings seen in exports of HubSpot, Salesforce and Pipedrive (and plain spreadsheets),
 * normalized to lower case without punctuation ("Organization - Name" → "organization name").
 */
export const CONTACT_SYNONYMS: Record<ContactField, string[]> = {
  firstName: ['first name', 'firstname', 'given name', 'person first name', 'contact first name'],
  lastName: [
    'last name',
    'lastname',
    'surname',
    'family name',
    'person last name',
    'contact last name',
  ],
  fullName: ['name', 'full name', 'person name', 'contact name', 'contact'],
  email: [
    'email',
    'email address',
    'e mail',
    'person email',
    'person email work',
    'work email',
    'primary email',
  ],
  phone: [
    'phone',
    'phone number',
    'mobile',
    'mobile phone',
    'mobile phone number',
    'person phone',
    'person phone work',
    'work phone',
    'business phone',
  ],
  title: ['title', 'job title', 'position', 'role', 'person job title'],
  status: ['status', 'lifecycle stage', 'lead status', 'contact status', 'lifecyclestage'],
  source: ['source', 'lead source', 'original source', 'contact source', 'person source'],
  tags: ['tags', 'labels', 'label', 'person labels'],
  street: ['street', 'street address', 'address', 'mailing street', 'person address'],
  city: ['city', 'mailing city'],
  region: ['state', 'region', 'state region', 'province', 'mailing state province'],
  postalCode: ['zip', 'postal code', 'zip code', 'postcode', 'mailing zip postal code'],
  country: ['country', 'country region', 'mailing country'],
  companyName: [
    'company',
    'company name',
    'associated company',
    'account name',
    'organization',
    'organization name',
    'organisation',
    'organisation name',
    'person organization',
  ],
  companyDomain: [
    'company domain',
    'company domain name',
    'company website',
    'account website',
    'organization domain',
    'organization website',
  ],
};

export const COMPANY_SYNONYMS: Record<CompanyField, string[]> = {
  name: [
    'name',
    'company name',
    'company',
    'account name',
    'account',
    'organization name',
    'organization',
    'organisation name',
    'organisation',
    'business name',
  ],
  domain: [
    'domain',
    'domain name',
    'company domain',
    'company domain name',
    'organization domain',
    'email domain',
  ],
  website: [
    'website',
    'website url',
    'web site',
    'url',
    'homepage',
    'company website',
    'organization website',
    'account website',
  ],
  industry: ['industry', 'sector', 'account industry', 'organization industry'],
  size: [
    'size',
    'company size',
    'employees',
    'number of employees',
    'no of employees',
    'employee count',
    'headcount',
    'organization employees',
    'organization number of employees',
  ],
  annualRevenue: [
    'annual revenue',
    'revenue',
    'account annual revenue',
    'organization annual revenue',
  ],
  currency: [
    'currency',
    'currency code',
    'annual revenue currency',
    'account currency',
    'organization annual revenue currency',
  ],
  phone: [
    'phone',
    'phone number',
    'company phone',
    'main phone',
    'business phone',
    'account phone',
    'organization phone',
  ],
  street: [
    'street',
    'street address',
    'address',
    'address line 1',
    'billing street',
    'billing address',
    'organization address',
    'organization address street road name',
  ],
  city: [
    'city',
    'town',
    'billing city',
    'organization city',
    'organization address city town village locality',
  ],
  region: [
    'state',
    'region',
    'state region',
    'province',
    'billing state',
    'billing state province',
    'organization state',
    'organization address state county',
  ],
  postalCode: [
    'zip',
    'postal code',
    'zip code',
    'postcode',
    'billing zip',
    'billing postal code',
    'billing zip postal code',
    'organization postal code',
    'organization address zip postal code',
  ],
  country: [
    'country',
    'country region',
    'billing country',
    'organization country',
    'organization address country',
  ],
};

const normalize = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** HubSpot's lifecycle stages and other common values mapped to Cerebro's contact statuses. */
export function normalizeStatus(value: string): string {
  const v = normalize(value);
  if (['customer', 'won', 'closed won', 'evangelist'].includes(v)) return 'CUSTOMER';
  if (
    [
      'opportunity',
      'salesqualifiedlead',
      'sales qualified lead',
      'marketingqualifiedlead',
      'marketing qualified lead',
      'prospect',
      'qualified',
    ].includes(v)
  )
    return 'PROSPECT';
  if (['inactive', 'lost', 'closed lost', 'unqualified', 'disqualified'].includes(v))
    return 'INACTIVE';
  if (['lead', 'subscriber', 'new', 'open'].includes(v)) return 'LEAD';
  return value.toUpperCase();
}
