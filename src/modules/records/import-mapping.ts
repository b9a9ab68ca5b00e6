/**
 * The key of the object a file is imported as. Contacts and companies are built in, other modules
 * register theirs (sales: leads), and objects defined as data import their own fields by key.
 */
export type ImportObjectType = string;

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
export type ImportField = ContactField | CompanyField | `custom.${string}` | (string & {});

/**
 * Header spellings seen in exports of HubSpot, Salesforce and Pipedrive (and plain spreadsheets),
 * normalized to lower case without punctuation ("Organization - Name" → "organization name").
 */
const CONTACT_SYNONYMS: Record<ContactField, string[]> = {
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

const COMPANY_SYNONYMS: Record<CompanyField, string[]> = {
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

const FIELDS = new Map<ImportObjectType, readonly string[]>([
  ['contact', CONTACT_IMPORT_FIELDS],
  ['company', COMPANY_IMPORT_FIELDS],
]);
const SYNONYMS = new Map<ImportObjectType, Record<string, string[]>>([
  ['contact', CONTACT_SYNONYMS],
  ['company', COMPANY_SYNONYMS],
]);

/** Another module's importable fields and the header spellings that suggest them. */
export function registerImportFields(
  objectType: ImportObjectType,
  fields: readonly string[],
  synonyms: Record<string, string[]>,
): void {
  FIELDS.set(objectType, fields);
  SYNONYMS.set(objectType, synonyms);
}

const normalize = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Whether an import of `objectType` can fill `field` (a standard field, or a defined custom field). */
export function isImportableField(
  objectType: ImportObjectType,
  field: string,
  customKeys: readonly string[],
): boolean {
  if (field.startsWith('custom.')) return customKeys.includes(field.slice(7));
  const fields = FIELDS.get(objectType);
  // An object defined as data: its name and its fields, by key.
  return fields ? fields.includes(field) : field === 'name' || customKeys.includes(field);
}

/** Every field an import of `objectType` can fill: its own, then its custom fields. */
export function importableFields(
  objectType: ImportObjectType,
  customKeys: readonly string[],
): string[] {
  const fields = FIELDS.get(objectType);
  // An object defined as data maps its custom fields by bare key (see isImportableField).
  return fields
    ? [...fields, ...customKeys.map((k) => `custom.${k}`)]
    : ['name', ...customKeys.filter((k) => k !== 'name')];
}

/** Suggests a field for each header it recognizes (first match wins; nothing is mapped twice). */
export function suggestMapping(
  headers: readonly string[],
  options: { objectType?: ImportObjectType; customKeys?: readonly string[] } = {},
): Record<string, ImportField> {
  const objectType = options.objectType ?? 'contact';
  const customKeys = options.customKeys ?? [];
  const synonyms = SYNONYMS.get(objectType) ?? { name: ['name', 'title'] };
  // An object defined as data has only its name and its own fields, which map by key.
  const dataObject = !FIELDS.has(objectType);
  const fields = FIELDS.get(objectType) ?? ['name', ...customKeys];
  const mapping: Record<string, ImportField> = {};
  const used = new Set<string>();
  for (const header of headers) {
    const n = normalize(header);
    const custom = dataObject
      ? undefined
      : customKeys.find((k) => normalize(k) === n || `custom ${normalize(k)}` === n);
    const field: ImportField | undefined = custom
      ? (`custom.${custom}` as const)
      : fields.find<ImportField>(
          (f): f is ImportField =>
            f.toLowerCase() === n.replace(/ /g, '') || (synonyms[f] ?? []).includes(n),
        );
    if (field && !used.has(field)) {
      mapping[header] = field;
      used.add(field);
    }
  }
  return mapping;
}

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
