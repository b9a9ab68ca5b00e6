import { sql } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { zodDetails } from '../../platform/http/index.js';
import {
  customCellValue,
  emptyOutcome,
  planRows,
  rememberUpdate,
  rowErrors,
  validationDetails,
  type BatchOutcome,
  type ImportJob,
  type ImportKind,
  type ImportKindDefinition,
  type ImportRow,
} from '../records/index.js';
import { guardOf } from './lead-access.js';
import { leadCreateBody } from './lead-fields.js';
import { createLead, updateLead, type LeadInput } from './leads.js';

/** Lead fields an import column can fill (`custom.<key>` too). */
const FIELDS = [
  'firstName',
  'lastName',
  'fullName',
  'email',
  'phone',
  'companyName',
  'title',
  'country',
  'companySize',
  'source',
  'status',
  'tags',
  'notes',
] as const;

/** Header spellings of HubSpot, Salesforce and Pipedrive lead exports, normalized like records' own. */
const SYNONYMS: Record<string, string[]> = {
  firstName: ['first name', 'firstname', 'given name'],
  lastName: ['last name', 'lastname', 'surname', 'family name'],
  fullName: ['name', 'full name', 'lead name', 'contact name', 'person name'],
  email: ['email', 'email address', 'e mail', 'work email', 'person email'],
  phone: ['phone', 'phone number', 'mobile', 'mobile phone', 'work phone', 'person phone'],
  companyName: [
    'company',
    'company name',
    'account name',
    'organization',
    'organization name',
    'organisation',
  ],
  title: ['title', 'job title', 'position', 'role'],
  country: ['country', 'country region', 'territory'],
  companySize: ['company size', 'employees', 'number of employees', 'no of employees'],
  source: ['source', 'lead source', 'original source'],
  status: ['status', 'lead status'],
  tags: ['tags', 'labels', 'label'],
  notes: ['notes', 'description', 'comments', 'message'],
};

/** Lead statuses as other CRMs export them; `converted` is never set by an import. */
function leadStatus(value: string): string {
  const v = value
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
  if (['open', 'new', 'open not contacted', 'not contacted'].includes(v)) return 'new';
  if (
    [
      'working',
      'working contacted',
      'contacted',
      'in progress',
      'attempted to contact',
      'connected',
    ].includes(v)
  )
    return 'working';
  if (
    [
      'qualified',
      'sql',
      'mql',
      'sales qualified lead',
      'marketing qualified lead',
      'open deal',
    ].includes(v)
  )
    return 'qualified';
  if (['unqualified', 'disqualified', 'closed not converted', 'bad timing'].includes(v))
    return 'disqualified';
  return v;
}

interface Planned {
  row: number;
  input: LeadInput;
  email: string | null;
}

function planRow(imp: ImportJob, r: ImportRow): Planned | ReturnType<typeof rowErrors> {
  const raw: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [header, field] of Object.entries(imp.mapping)) {
    const value = (r.values[header] ?? '').trim();
    if (!value) continue;
    if (field.startsWith('custom.')) custom[field.slice(7)] = customCellValue(value);
    else if (field === 'fullName') {
      const [first, ...rest] = value.split(/\s+/);
      raw.firstName ??= first;
      if (rest.length) raw.lastName ??= rest.join(' ');
    } else if (field === 'tags')
      raw.tags = value
        .split(/[,;]/)
        .map((t) => t.trim())
        .filter(Boolean);
    else if (field === 'status') raw.status = leadStatus(value);
    else raw[field] = value;
  }
  if (Object.keys(custom).length) raw.customFields = custom;
  const parsed = leadCreateBody.safeParse(raw);
  if (!parsed.success) return rowErrors(r.row, zodDetails(parsed.error), imp.mapping);
  return { row: r.row, input: parsed.data, email: parsed.data.email?.toLowerCase() ?? null };
}

interface ExistingLead {
  id: string;
  email: string;
  snapshot: Record<string, unknown>;
}

/** Live, unconverted leads with these emails (the import's dedupe key), with what a rollback restores. */
async function findExisting(
  ctx: Ctx,
  tx: Tx,
  emails: string[],
): Promise<Map<string, ExistingLead>> {
  if (emails.length === 0) return new Map();
  const rows = await sql<Record<string, unknown> & { id: string; email: string }>`
    select id, lower(email) as email, first_name, last_name, phone, company_name, title, country, company_size, source, status, tags, notes, custom_fields
    from leads where organization_id = ${ctx.organizationId} and deleted_at is null and status <> 'converted' and lower(email) = any(${emails}::text[])
    order by created_at`.execute(tx);
  const found = new Map<string, ExistingLead>();
  for (const { id, email, ...snapshot } of rows.rows)
    if (!found.has(email)) found.set(email, { id, email, snapshot });
  return found;
}

/**
 * Leads dedupe by email (skip, update or create), within the file and against live leads. Each
 * row goes through the leads service, so assignment rules, validation, audit and events apply
 * exactly as for a lead created by hand; a row that fails is rolled back alone.
 */
async function importBatch(
  ctx: Ctx,
  tx: Tx,
  imp: ImportJob,
  rows: ImportRow[],
): Promise<BatchOutcome> {
  const out = emptyOutcome();
  const planned = planRows(rows, (r) => planRow(imp, r), out);
  const dedupe = imp.dedupe !== 'create';
  const existing = dedupe
    ? await findExisting(ctx, tx, [...new Set(planned.flatMap((p) => (p.email ? [p.email] : [])))])
    : new Map<string, ExistingLead>();
  const madeHere = new Map<string, string>();
  for (const p of planned) {
    const match =
      p.email && dedupe ? (existing.get(p.email)?.id ?? madeHere.get(p.email)) : undefined;
    if (match && imp.dedupe === 'skip') {
      out.skipped++;
      continue;
    }
    if (imp.dry_run) {
      out[match ? 'updated' : 'created']++;
      if (p.email && !match) madeHere.set(p.email, 'dry-run');
      continue;
    }
    await sql`savepoint lead_row`.execute(tx);
    try {
      if (match) {
        const before = p.email ? existing.get(p.email) : undefined;
        if (before) await rememberUpdate(ctx, tx, imp, match, before.snapshot);
        await updateLead(ctx, match, p.input);
        out.updated++;
      } else {
        const lead = await createLead(ctx, { ...p.input, source: p.input.source ?? 'import' });
        await sql`insert into import_records (organization_id, import_id, record_id, action) values (${ctx.organizationId}, ${imp.id}, ${lead.id}, 'created')`.execute(
          tx,
        );
        if (p.email) madeHere.set(p.email, lead.id);
        out.created++;
      }
      await sql`release savepoint lead_row`.execute(tx);
    } catch (e) {
      await sql`rollback to savepoint lead_row`.execute(tx);
      const details = validationDetails(e);
      out.failed++;
      out.errors.push(
        ...(details
          ? rowErrors(p.row, details, imp.mapping)
          : [
              {
                row: p.row,
                column: null,
                message: e instanceof Error ? e.message : 'the row could not be saved',
              },
            ]),
      );
    }
  }
  return out;
}

const LEAD_IMPORT: ImportKind = {
  resource: 'leads',
  importBatch,
  records: { table: 'leads', object: 'lead' },
  async guards(ctx, tx, ids) {
    const rows = await sql<{
      id: string;
      owner_id: string | null;
      team_id: string | null;
    }>`select id, owner_id, team_id from leads
      where organization_id = ${ctx.organizationId} and id = any(${[...ids]}::uuid[])`.execute(tx);
    return new Map(rows.rows.map((r) => [r.id, guardOf(r)]));
  },
  async restore(ctx, tx, id, before) {
    const text = (k: string) => (typeof before[k] === 'string' ? before[k] : null);
    await sql`
      update leads set first_name = ${text('first_name')}, last_name = ${text('last_name')}, phone = ${text('phone')}, company_name = ${text('company_name')},
        title = ${text('title')}, country = ${text('country')}, company_size = ${text('company_size')}, source = ${text('source')},
        status = coalesce(${text('status')}, status), tags = ${Array.isArray(before.tags) ? before.tags.map(String) : []}::text[], notes = ${text('notes')},
        custom_fields = ${JSON.stringify(before.custom_fields ?? {})}::jsonb, version = version + 1, updated_at = now()
      where organization_id = ${ctx.organizationId} and id = ${id}`.execute(tx);
  },
};

/** Leads in the import wizard and API, declared by the sales module's definition. */
export const LEAD_IMPORT_KIND: ImportKindDefinition = {
  objectType: 'lead',
  kind: LEAD_IMPORT,
  fields: FIELDS,
  synonyms: SYNONYMS,
};
