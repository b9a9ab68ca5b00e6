import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { assertUserExists, assertVersion } from '../records/index.js';
import { assertTeamExists } from './lead-access.js';
import { authorizeRouting } from './routing-access.js';
import type { FormField, SalesTables, WebFormTable } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();
type FormRow = Selectable<WebFormTable>;

/** A web form as the API presents it. */
export interface WebForm {
  id: string;
  name: string;
  fields: FormField[];
  defaultSource: string | null;
  defaultOwnerId: string | null;
  defaultTeamId: string | null;
  redirectUrl: string | null;
  honeypotField: string;
  active: boolean;
  /** Where the form posts, with no login. */
  submitUrl: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Fields an admin or manager sets on a form. */
export interface WebFormInput {
  name?: string;
  /** Posted field → lead field, in display order. */
  fields?: FormField[];
  /** The lead's source when the form does not capture one (default "web form"). */
  defaultSource?: string | null;
  /** An owner for every lead of this form: the assignment rules are then skipped. */
  defaultOwnerId?: string | null;
  /** The team whose queue the form's leads join unless a rule places them elsewhere. */
  defaultTeamId?: string | null;
  /** Where a browser goes after posting (303); without one it gets a short thank-you page. */
  redirectUrl?: string | null;
  honeypotField?: string;
  active?: boolean;
}

/** The public URL a form posts to. */
export const submitUrlOf = (ctx: Ctx, id: string) =>
  `${ctx.deps.config.http.publicUrl}/api/v1/forms/${id}/submit`;

function presentForm(ctx: Ctx, r: FormRow): WebForm {
  return {
    id: r.id,
    name: r.name,
    fields: r.fields,
    defaultSource: r.default_source,
    defaultOwnerId: r.default_owner_id,
    defaultTeamId: r.default_team_id,
    redirectUrl: r.redirect_url,
    honeypotField: r.honeypot_field,
    active: r.active,
    submitUrl: submitUrlOf(ctx, r.id),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function formColumns(input: WebFormInput) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.fields !== undefined ? { fields: JSON.stringify(input.fields) } : {}),
    ...(input.defaultSource !== undefined ? { default_source: input.defaultSource } : {}),
    ...(input.defaultOwnerId !== undefined ? { default_owner_id: input.defaultOwnerId } : {}),
    ...(input.defaultTeamId !== undefined ? { default_team_id: input.defaultTeamId } : {}),
    ...(input.redirectUrl !== undefined ? { redirect_url: input.redirectUrl } : {}),
    ...(input.honeypotField !== undefined ? { honeypot_field: input.honeypotField } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
}

async function checkForm(
  ctx: Ctx,
  tx: Tx,
  input: WebFormInput,
  merged: { fields: FormField[]; honeypotField: string },
): Promise<void> {
  if (merged.fields.some((f) => f.name === merged.honeypotField)) {
    throw errors.validation([
      {
        path: 'honeypotField',
        message: 'must differ from every field name (people would fill it and be ignored)',
      },
    ]);
  }
  if (input.defaultOwnerId)
    await assertUserExists(tx, ctx.organizationId, input.defaultOwnerId, 'defaultOwnerId');
  if (input.defaultTeamId)
    await assertTeamExists(tx, ctx.organizationId, input.defaultTeamId, 'defaultTeamId');
}

async function loadForm(ctx: Ctx, tx: Tx, id: string, forUpdate = false): Promise<FormRow> {
  let q = db(tx)
    .selectFrom('web_forms')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Form');
  return row;
}

export async function listForms(ctx: Ctx): Promise<WebForm[]> {
  return ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    const rows = await db(tx)
      .selectFrom('web_forms')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map((r) => presentForm(ctx, r));
  });
}

export async function getForm(ctx: Ctx, id: string): Promise<WebForm> {
  return ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    return presentForm(ctx, await loadForm(ctx, tx, id));
  });
}

export async function createForm(
  ctx: Ctx,
  input: WebFormInput & { name: string; fields: FormField[] },
): Promise<WebForm> {
  return ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    await checkForm(ctx, tx, input, {
      fields: input.fields,
      honeypotField: input.honeypotField ?? 'homepage',
    });
    const row = await db(tx)
      .insertInto('web_forms')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        name: input.name,
        ...formColumns(input),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const form = presentForm(ctx, row);
    await ctx.audit(tx, {
      action: 'web_form.created',
      targetType: 'web_form',
      targetId: row.id,
      diff: fieldDiff(null, { ...form }, ['submitUrl', 'version', 'createdAt', 'updatedAt']),
    });
    return form;
  });
}

export async function updateForm(
  ctx: Ctx,
  id: string,
  input: WebFormInput,
  expectedVersion?: number,
): Promise<WebForm> {
  return ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    const current = await loadForm(ctx, tx, id, true);
    assertVersion(expectedVersion, current.version);
    await checkForm(ctx, tx, input, {
      fields: input.fields ?? current.fields,
      honeypotField: input.honeypotField ?? current.honeypot_field,
    });
    const row = await db(tx)
      .updateTable('web_forms')
      .set({ ...formColumns(input), version: current.version + 1, updated_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentForm(ctx, row);
    await ctx.audit(tx, {
      action: 'web_form.updated',
      targetType: 'web_form',
      targetId: id,
      diff: fieldDiff({ ...presentForm(ctx, current) }, { ...after }, ['version', 'updatedAt']),
    });
    return after;
  });
}

/** Deletes a form: its URL stops working; leads it captured keep everything but the link. */
export async function deleteForm(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    await authorizeRouting(ctx, tx);
    await loadForm(ctx, tx, id, true);
    await db(tx)
      .deleteFrom('web_forms')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'web_form.deleted',
      targetType: 'web_form',
      targetId: id,
      diff: null,
    });
  });
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c] ?? ''};`,
  );

const INPUT_TYPES: Record<string, string> = { email: 'email', phone: 'tel' };

/** One labelled input for a field; notes get a text area. */
function inputHtml(formId: string, f: FormField): string {
  const id = escapeHtml(`cerebro-${formId.slice(-8)}-${f.name}`);
  const attrs = `id="${id}" name="${escapeHtml(f.name)}"${f.required ? ' required' : ''}`;
  const control =
    f.leadField === 'notes'
      ? `<textarea ${attrs} rows="4"></textarea>`
      : `<input ${attrs} type="${INPUT_TYPES[f.leadField] ?? 'text'}">`;
  return `  <p>\n    <label for="${id}">${escapeHtml(f.label)}${f.required ? ' *' : ''}</label><br>\n    ${control}\n  </p>`;
}

/**
 * A <form> to paste into any web page: it posts to the public submit URL as an ordinary form.
 * The honeypot is moved off-screen rather than hidden with display:none, which bots detect.
 */
export async function formEmbed(
  ctx: Ctx,
  id: string,
): Promise<{ submitUrl: string; html: string }> {
  const form = await getForm(ctx, id);
  const html = [
    `<form action="${escapeHtml(form.submitUrl)}" method="post" accept-charset="utf-8" data-cerebro-form="${form.id}">`,
    ...form.fields.map((f) => inputHtml(form.id, f)),
    `  <div style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden" aria-hidden="true">`,
    `    <label>Leave this field empty <input type="text" name="${escapeHtml(form.honeypotField)}" tabindex="-1" autocomplete="off" value=""></label>`,
    '  </div>',
    '  <button type="submit">Send</button>',
    '</form>',
  ].join('\n');
  return { submitUrl: form.submitUrl, html };
}
