/** Contact fields an import column can fill. `custom.<key>` targets a custom field. */
export const IMPORT_FIELDS = ['firstName', 'lastName', 'fullName', 'email', 'phone', 'title', 'status', 'source', 'tags', 'street', 'city', 'region', 'postalCode', 'country'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number] | `custom.${string}`;

/**
 * Header spellings seen in exports of HubSpot, Salesforce and Pipedrive (and plain spreadsheets),
 * normalized to lower case without punctuation.
 */
const SYNONYMS: Record<(typeof IMPORT_FIELDS)[number], string[]> = {
  firstName: ['first name', 'firstname', 'given name', 'person first name', 'contact first name'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'person last name', 'contact last name'],
  fullName: ['name', 'full name', 'person name', 'contact name', 'contact'],
  email: ['email', 'email address', 'e mail', 'person email', 'person email work', 'work email', 'primary email'],
  phone: ['phone', 'phone number', 'mobile', 'mobile phone', 'mobile phone number', 'person phone', 'person phone work', 'work phone', 'business phone'],
  title: ['title', 'job title', 'position', 'role', 'person job title'],
  status: ['status', 'lifecycle stage', 'lead status', 'contact status', 'lifecyclestage'],
  source: ['source', 'lead source', 'original source', 'contact source', 'person source'],
  tags: ['tags', 'labels', 'label', 'person labels'],
  street: ['street', 'street address', 'address', 'mailing street', 'person address'],
  city: ['city', 'mailing city'],
  region: ['state', 'region', 'state region', 'province', 'mailing state province'],
  postalCode: ['zip', 'postal code', 'zip code', 'postcode', 'mailing zip postal code'],
  country: ['country', 'country region', 'mailing country'],
};

const normalize = (h: string) => h.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** Suggests a field for each header it recognizes (first match wins; nothing is mapped twice). */
export function suggestMapping(headers: readonly string[], customKeys: readonly string[] = []): Record<string, ImportField> {
  const mapping: Record<string, ImportField> = {};
  const used = new Set<string>();
  for (const header of headers) {
    const n = normalize(header);
    const custom = customKeys.find((k) => normalize(k) === n || `custom ${normalize(k)}` === n);
    const field = custom ? (`custom.${custom}` as const) : IMPORT_FIELDS.find((f) => f.toLowerCase() === n.replace(/ /g, '') || SYNONYMS[f].includes(n));
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
  if (['opportunity', 'salesqualifiedlead', 'sales qualified lead', 'marketingqualifiedlead', 'marketing qualified lead', 'prospect', 'qualified'].includes(v)) return 'PROSPECT';
  if (['inactive', 'lost', 'closed lost', 'unqualified', 'disqualified'].includes(v)) return 'INACTIVE';
  if (['lead', 'subscriber', 'new', 'open'].includes(v)) return 'LEAD';
  return value.toUpperCase();
}
