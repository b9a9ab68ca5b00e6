/**
 * The key of the object a file is imported as. Modules register their objects' importable fields
 * (contacts, companies, leads), and objects defined as data import their own fields by key.
 */
export type ImportObjectType = string;

/** A field an import column can fill: the object's own, or `custom.<key>`. */
export type ImportField = string;

/** The importable fields and header spellings of each object that registered them. */
const FIELDS = new Map<ImportObjectType, readonly string[]>();
const SYNONYMS = new Map<ImportObjectType, Record<string, string[]>>();

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
    const field = custom
      ? `custom.${custom}`
      : fields.find(
          (f) => f.toLowerCase() === n.replace(/ /g, '') || (synonyms[f] ?? []).includes(n),
        );
    if (field && !used.has(field)) {
      mapping[header] = field;
      used.add(field);
    }
  }
  return mapping;
}
