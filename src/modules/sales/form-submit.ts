import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import { isDomainError, errors, type ErrorDetail } from '../../platform/errors/index.js';
import { consumeRateLimit } from '../../platform/http/index.js';
import { loadCustomFields, type CustomFieldDef } from '../records/index.js';
import { formNotFound } from './errors.js';
import type { SubmittedValue } from './form-schemas.js';
import { capturedLeadSchema } from './lead-fields.js';
import { createLead, type LeadInput } from './leads.js';
import type { FormField, SalesTables } from './schema.js';

/** Submissions per client address and form per minute: plenty for people, little for a script. */
export const SUBMISSIONS_PER_MINUTE = 10;
const DEFAULT_SOURCE = 'web form';

/** The outcome the HTTP layer turns into a redirect, a thank-you page or JSON. */
export interface SubmissionResult {
  /** False when the honeypot was filled: the sender is told all went well, nothing is kept. */
  stored: boolean;
  redirectUrl: string | null;
}

interface PublicForm {
  organization_id: string;
  id: string;
  fields: FormField[];
  default_source: string | null;
  default_owner_id: string | null;
  default_team_id: string | null;
  redirect_url: string | null;
  honeypot_field: string;
}

/** Finds an active form by id alone: the public URL carries no organization. */
async function findActiveForm(deps: Deps, formId: string): Promise<PublicForm> {
  const form = await withSystem(deps.database.db, (tx) =>
    tx
      .withTables<SalesTables>()
      .selectFrom('web_forms')
      .select([
        'organization_id',
        'id',
        'fields',
        'default_source',
        'default_owner_id',
        'default_team_id',
        'redirect_url',
        'honeypot_field',
      ])
      .where('id', '=', formId)
      .where('active', '=', true)
      .executeTakeFirst(),
  );
  if (!form) throw formNotFound();
  return form;
}

const asText = (v: SubmittedValue | undefined): string =>
  (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v)).trim();

/** A posted value as the custom field's type expects it (HTML forms post only strings). */
function customValue(def: CustomFieldDef | undefined, v: SubmittedValue): unknown {
  const text = asText(v);
  switch (def?.type) {
    case 'number':
    case 'currency':
      return typeof v === 'number'
        ? v
        : text !== '' && Number.isFinite(Number(text))
          ? Number(text)
          : text;
    case 'boolean':
      return typeof v === 'boolean'
        ? v
        : ['true', 'on', 'yes', '1'].includes(text.toLowerCase())
          ? true
          : ['false', 'off', 'no', '0'].includes(text.toLowerCase())
            ? false
            : text;
    case 'multi_select':
      return Array.isArray(v) ? v : [text];
    default:
      return text;
  }
}

/** The lead input a submission makes, or the problems named by the form's own field names. */
function leadInputOf(
  fields: readonly FormField[],
  values: Record<string, SubmittedValue>,
  defs: readonly CustomFieldDef[],
): { input: LeadInput; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const captured: Record<string, string> = {};
  const customFields: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (asText(raw) === '' || raw === undefined) {
      if (f.required) problems.push({ path: f.name, message: 'is required' });
      continue;
    }
    if (f.leadField.startsWith('custom.')) {
      const key = f.leadField.slice('custom.'.length);
      customFields[key] = customValue(
        defs.find((d) => d.key === key),
        raw,
      );
    } else captured[f.leadField] = asText(raw);
  }
  const parsed = capturedLeadSchema.safeParse(captured);
  const byLeadField = (path: string) => fields.find((f) => f.leadField === path)?.name ?? path;
  if (!parsed.success)
    for (const i of parsed.error.issues)
      problems.push({ path: byLeadField(String(i.path[0] ?? '')), message: i.message });
  const input = parsed.success ? parsed.data : {};
  if (
    problems.length === 0 &&
    !(input.firstName || input.lastName || input.email || input.companyName)
  ) {
    problems.push({ path: fields[0]?.name ?? '', message: 'the form was sent empty' });
  }
  return { input: { ...input, customFields }, problems };
}

/** Custom field problems from the lead service, renamed to the form fields that carried them. */
function renamed(err: unknown, fields: readonly FormField[]): unknown {
  if (!isDomainError(err) || err.kind !== 'validation' || !Array.isArray(err.details)) return err;
  return errors.validation(
    err.details.map((d) => ({
      ...d,
      path:
        fields.find(
          (f) =>
            `customFields.${f.leadField.slice('custom.'.length)}` === d.path &&
            f.leadField.startsWith('custom.'),
        )?.name ?? d.path,
    })),
  );
}

/**
 * Takes a public web form submission, with no login: rate limited per client address and form,
 * a filled honeypot answered as success with nothing stored, the values checked and named by the
 * form's field names, and the lead created as the system, through the assignment rules.
 */
export async function submitForm(
  deps: Deps,
  formId: string,
  values: Record<string, SubmittedValue>,
  client: { ip: string; requestId: string },
): Promise<SubmissionResult> {
  await consumeRateLimit(
    deps.cache,
    `form-submit:${formId}:${client.ip}`,
    SUBMISSIONS_PER_MINUTE,
    60,
  );
  const form = await findActiveForm(deps, formId);
  if (asText(values[form.honeypot_field]) !== '')
    return { stored: false, redirectUrl: form.redirect_url };
  const ctx: Ctx = createCtx(deps, systemActor(form.organization_id), client.requestId);
  await ctx.tx(async (tx) => {
    const { input, problems } = leadInputOf(
      form.fields,
      values,
      await loadCustomFields(tx, form.organization_id, 'lead'),
    );
    if (problems.length) throw errors.validation(problems);
    const lead: LeadInput = {
      ...input,
      source: form.default_source ?? DEFAULT_SOURCE,
      // No default owner: the rules decide, and when none matches the lead waits unassigned.
      ownerId: form.default_owner_id,
      teamId: form.default_team_id,
    };
    await createLead(ctx, lead, { formId: form.id }).catch((err: unknown) => {
      throw renamed(err, form.fields);
    });
  });
  return { stored: true, redirectUrl: form.redirect_url };
}
