import { z } from 'zod';
import { webUrl } from '../../platform/http/index.js';
import { CAPTURED_LEAD_FIELDS } from './lead-fields.js';

const fieldName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,62}$/,
    'must start with a letter and hold only letters, digits, _ and -',
  );
const leadField = z.union(
  [z.enum(CAPTURED_LEAD_FIELDS), z.string().regex(/^custom\.[a-z][a-zA-Z0-9_]{0,62}$/)],
  {
    error: `must be one of ${CAPTURED_LEAD_FIELDS.join(', ')} or custom.<key>`,
  },
);
/** Lead fields that make a lead someone to talk to: a form must capture at least one. */
const CONTACT_POINTS = ['firstName', 'lastName', 'email', 'companyName'];

export const formField = z
  .object({
    name: fieldName,
    label: z.string().trim().min(1, 'is required').max(100),
    leadField,
    required: z.boolean().default(false),
  })
  .strict();

const formFields = z
  .array(formField)
  .min(1, 'a form needs at least one field')
  .max(50)
  .superRefine((fields, ctx) => {
    const seen = { name: new Set<string>(), leadField: new Set<string>() };
    fields.forEach((f, i) => {
      for (const key of ['name', 'leadField'] as const) {
        if (seen[key].has(f[key]))
          ctx.addIssue({ code: 'custom', path: [i, key], message: `${f[key]} appears twice` });
        seen[key].add(f[key]);
      }
    });
    if (!fields.some((f) => CONTACT_POINTS.includes(f.leadField))) {
      ctx.addIssue({ code: 'custom', message: `must map one of ${CONTACT_POINTS.join(', ')}` });
    }
  });

const formProps = {
  name: z.string().trim().min(1, 'is required').max(100),
  fields: formFields,
  defaultSource: z.string().trim().max(100).nullable(),
  defaultOwnerId: z.uuid().nullable(),
  defaultTeamId: z.uuid().nullable(),
  redirectUrl: webUrl().nullable(),
  honeypotField: fieldName,
  active: z.boolean(),
};

export const formCreateBody = z
  .object({
    ...formProps,
    defaultSource: formProps.defaultSource.optional(),
    defaultOwnerId: formProps.defaultOwnerId.optional(),
    defaultTeamId: formProps.defaultTeamId.optional(),
    redirectUrl: formProps.redirectUrl.optional(),
    honeypotField: formProps.honeypotField.optional(),
    active: formProps.active.optional(),
  })
  .strict();
export const formUpdateBody = z.object(formProps).partial().strict();

export const formSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    fields: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        leadField: z.string(),
        required: z.boolean(),
      }),
    ),
    defaultSource: z.string().nullable(),
    defaultOwnerId: z.uuid().nullable(),
    defaultTeamId: z.uuid().nullable(),
    redirectUrl: z.string().nullable(),
    honeypotField: z.string(),
    active: z.boolean(),
    submitUrl: z.string(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebForm' });

/** A posted value: HTML forms send strings (arrays for repeated names); JSON may send scalars. */
const submittedValue = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string().max(1_000)).max(100),
]);
export type SubmittedValue = z.output<typeof submittedValue>;

export const submissionBody = z
  .record(z.string().max(100), submittedValue)
  .refine((o) => Object.keys(o).length <= 100, 'at most 100 fields')
  .describe("The form's fields by their names, as JSON or application/x-www-form-urlencoded");

export const embedSchema = z
  .object({ submitUrl: z.string(), html: z.string() })
  .meta({ id: 'WebFormEmbed' });
