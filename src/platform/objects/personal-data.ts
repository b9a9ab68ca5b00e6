/**
 * Which of an object's fields hold personal data, declared with the object so GDPR exports and
 * erasure (Art. 15, 17 and 20) read it from the registry instead of a list kept beside them.
 */

/** A value erasure writes into a column: null, a placeholder text, or an empty list. */
export type ErasedValue = string | readonly string[] | null;

/** The personal part of an object, in its API field keys (`firstName`, `customFields`). */
export interface PersonalDataDeclaration {
  /** The fields that hold personal data: erasure blanks each of them, the rest stays. */
  fields: readonly string[];
  /**
   * Those of `fields` that hold the person's email addresses (a string, or a list of strings or of
   * `{ email }`): how the person's other records are found and their mail is traced.
   */
  emailFields: readonly string[];
  /**
   * What erasure writes instead of null, as the column stores it: a required name's placeholder,
   * a JSON column's empty list as the text `'[]'`, a text array's as `[]`.
   */
  erasedValues?: Readonly<Record<string, ErasedValue>>;
}

/** The placeholder an erased name shows, so a list still has something to print. */
export const ERASED = '[erased]';

/** A field key's column: `firstName` → `first_name`. */
export function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The columns erasure sets and the value each gets. */
export function erasedColumns(decl: PersonalDataDeclaration): Record<string, ErasedValue> {
  return Object.fromEntries(
    decl.fields.map((f) => [columnOf(f), decl.erasedValues?.[f] ?? null] as const),
  );
}

function emailsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v: unknown) => emailsIn(v));
  if (value && typeof value === 'object' && 'email' in value) return emailsIn(value.email);
  return [];
}

/** The email addresses a record (in its API shape) holds, lower-cased and each once. */
export function personalEmailsOf(
  decl: PersonalDataDeclaration,
  record: Readonly<Record<string, unknown>>,
): string[] {
  const all = decl.emailFields.flatMap((f) => emailsIn(record[f]));
  return [...new Set(all.map((e) => e.trim().toLowerCase()).filter(Boolean))];
}

/**
 * The mistakes a declaration can make, as messages (none when it is sound): an email field that is
 * not personal, a blank value for a field that is not, or a field the object does not have.
 */
export function personalDataProblems(
  key: string,
  decl: PersonalDataDeclaration,
  knownFields: ReadonlySet<string>,
): string[] {
  const personal = new Set(decl.fields);
  return [
    ...decl.fields
      .filter((f) => !knownFields.has(f))
      .map((f) => `${key}: personal field "${f}" is not one of its fields`),
    ...decl.emailFields
      .filter((f) => !personal.has(f))
      .map((f) => `${key}: email field "${f}" is not declared personal`),
    ...Object.keys(decl.erasedValues ?? {})
      .filter((f) => !personal.has(f))
      .map((f) => `${key}: erased value for "${f}", which is not declared personal`),
  ];
}
