import { z } from 'zod';
import { keys } from '../../api/keys';
import type { components } from '../../api/schema';

export type WebForm = components['schemas']['WebForm'];
export type WebFormBody = Omit<WebForm, 'id' | 'submitUrl' | 'version' | 'createdAt' | 'updatedAt'>;

/** Query key of the forms list; a form is `[...FORMS_KEY, id]`, its snippet below that. */
export const FORMS_KEY = keys.webForms.list;

/** Who may open the forms pages (sales/routing-access.ts), for the 403 message. */
export const FORMS_WHO_MAY =
  'Web forms decide where new leads go, so admins and team managers set them up.';

/** The lead fields a form may fill (the server's CAPTURED_LEAD_FIELDS), with their labels. */
export const LEAD_FIELDS: ReadonlyArray<{ key: string; label: string }> = [
  { key: 'firstName', label: 'First name' },
  { key: 'lastName', label: 'Last name' },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
  { key: 'companyName', label: 'Company' },
  { key: 'title', label: 'Job title' },
  { key: 'country', label: 'Country' },
  { key: 'companySize', label: 'Company size' },
  { key: 'notes', label: 'Message' },
];

/** The server refuses a form that captures none of these: its leads would be nobody to call. */
const CONTACT_POINTS = ['firstName', 'lastName', 'email', 'companyName'];

/** The HTML name the server accepts (form-schemas.ts): a letter, then letters, digits, _ and -. */
const HTML_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** A posted field name for a lead field: `email` → `email`, `custom.budget_eur` → `budget_eur`. */
export function htmlNameFor(leadField: string): string {
  return leadField.startsWith('custom.') ? leadField.slice('custom.'.length) : leadField;
}

const fieldRow = z.object({
  label: z.string().trim().min(1, 'is required').max(100),
  leadField: z.string().min(1, 'pick a lead field'),
  name: z.string().regex(HTML_NAME, 'must start with a letter; letters, digits, _ and - only'),
  required: z.boolean(),
});

/** What the form editor edits; checked in the browser as the server would, so most errors show at once. */
export const formEditorSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    fields: z
      .array(fieldRow)
      .min(1, 'a form needs at least one field')
      .max(50)
      .superRefine((rows, ctx) => {
        for (const key of ['name', 'leadField'] as const) {
          const seen = new Set<string>();
          rows.forEach((r, i) => {
            if (seen.has(r[key]))
              ctx.addIssue({ code: 'custom', path: [i, key], message: 'appears twice' });
            seen.add(r[key]);
          });
        }
        if (!rows.some((r) => CONTACT_POINTS.includes(r.leadField)))
          ctx.addIssue({
            code: 'custom',
            message: 'ask for at least a first or last name, an email or a company',
          });
      }),
    defaultSource: z.string().trim().max(100),
    defaultOwnerId: z.string().nullable(),
    defaultTeamId: z.string().nullable(),
    redirectUrl: z.union([
      z.literal(''),
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    ]),
    honeypotField: z.string().regex(HTML_NAME, 'must start with a letter'),
    active: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.fields.some((f) => f.name === v.honeypotField))
      ctx.addIssue({
        code: 'custom',
        path: ['honeypotField'],
        message: 'must differ from every field name',
      });
  });
export type FormEditorValues = z.input<typeof formEditorSchema>;

/** A new form asks for what nearly every lead form asks for. */
export const NEW_FORM: FormEditorValues = {
  name: '',
  fields: [
    { label: 'Name', leadField: 'firstName', name: 'firstName', required: true },
    { label: 'Email', leadField: 'email', name: 'email', required: true },
  ],
  defaultSource: '',
  defaultOwnerId: null,
  defaultTeamId: null,
  redirectUrl: '',
  honeypotField: 'homepage',
  active: true,
};

export const editorValuesOf = (form: WebForm): FormEditorValues => ({
  name: form.name,
  fields: form.fields.map((f) => ({ ...f })),
  defaultSource: form.defaultSource ?? '',
  defaultOwnerId: form.defaultOwnerId,
  defaultTeamId: form.defaultTeamId,
  redirectUrl: form.redirectUrl ?? '',
  honeypotField: form.honeypotField,
  active: form.active,
});

/** The API body: blanks become null, so clearing a setting clears it on the server too. */
export const bodyOf = (v: FormEditorValues): WebFormBody => ({
  name: v.name.trim(),
  fields: v.fields.map((f) => ({ ...f, label: f.label.trim() })),
  defaultSource: v.defaultSource.trim() || null,
  defaultOwnerId: v.defaultOwnerId,
  defaultTeamId: v.defaultTeamId,
  redirectUrl: v.redirectUrl.trim() || null,
  honeypotField: v.honeypotField,
  active: v.active,
});

/** Every form path the API's 422 may name, so its messages land on the field they are about. */
export const editorPaths = (fieldCount: number): string[] => [
  'name',
  'fields',
  'defaultSource',
  'defaultOwnerId',
  'defaultTeamId',
  'redirectUrl',
  'honeypotField',
  'active',
  ...Array.from({ length: fieldCount }, (_, i) =>
    ['label', 'leadField', 'name', 'required'].map((k) => `fields.${i}.${k}`),
  ).flat(),
];

/** The input a visitor gets for a lead field, as the embed snippet renders it. */
export const inputTypeOf = (leadField: string): 'email' | 'tel' | 'textarea' | 'text' =>
  leadField === 'email'
    ? 'email'
    : leadField === 'phone'
      ? 'tel'
      : leadField === 'notes'
        ? 'textarea'
        : 'text';
