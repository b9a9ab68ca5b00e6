import { sql } from 'kysely';
import { z } from 'zod';
import { decide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError } from '../../platform/errors/index.js';
import { zodDetails } from '../../platform/http/index.js';
import { contactColumns } from './contacts.js';
import { contactCreateBody } from './contact-fields.js';
import { normalizeStatus } from './import-fields.js';
import {
  type BatchOutcome,
  customCellValue,
  emptyOutcome,
  type ImportJob,
  type ImportKind,
  type ImportRow,
  insertCreates,
  loadCustomFields,
  normalizeDomain,
  ownerGuards,
  planRows,
  rememberUpdate,
  type RowError,
  rowErrors,
  validateCustomValues,
} from '../records/index.js';
import type { ContactsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<ContactsTables>();

type Defs = Awaited<ReturnType<typeof loadCustomFields>>;
type ContactCreate = z.output<typeof contactCreateBody>;

/** The schema renames these fields; errors on them name the column of the original field. */
const ALIASES = { emails: 'email', phones: 'phone' };
const ADDRESS_PARTS = ['street', 'city', 'region', 'postalCode', 'country'];

/** The company a row names, to link the contact to an existing one (never to create it). */
interface CompanyRef {
  domain: string | null;
  name: string | null;
}

/** A validated row, ready to write. */
interface Planned {
  row: number;
  input: ContactCreate;
  custom: Record<string, unknown>;
  email: string | null;
  company: CompanyRef | null;
}

/** Turns a file row into contact input using the mapping, and the company it names apart. */
function toInput(
  values: Record<string, string>,
  mapping: Record<string, string>,
): { input: Record<string, unknown>; company: CompanyRef | null } {
  const out: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const address: Record<string, string> = {};
  const company: CompanyRef = { domain: null, name: null };
  for (const [header, field] of Object.entries(mapping)) {
    const v = values[header]?.trim();
    if (!v) continue;
    if (field.startsWith('custom.')) custom[field.slice(7)] = customCellValue(v);
    else if (field === 'fullName') {
      const [first, ...rest] = v.split(/\s+/);
      out.firstName ??= first;
      if (rest.length) out.lastName ??= rest.join(' ');
    } else if (field === 'tags')
      out.tags = v
        .split(/[;,]/)
        .map((t) => t.trim())
        .filter(Boolean);
    else if (field === 'status') out.status = normalizeStatus(v);
    else if (field === 'companyName') company.name = v;
    // A domain that cannot be read links nothing; the contact itself is still good.
    else if (field === 'companyDomain') company.domain = normalizeDomain(v);
    else if (ADDRESS_PARTS.includes(field)) address[field] = v;
    else out[field] = v;
  }
  if (Object.keys(address).length) out.address = address;
  if (Object.keys(custom).length) out.customFields = custom;
  return { input: out, company: company.domain || company.name ? company : null };
}

/** Validates one row against the contact create rules; failures name the file's column. */
function planRow(imp: ImportJob, r: ImportRow, defs: Defs): Planned | RowError[] {
  const { input, company } = toInput(r.values, imp.mapping);
  const parsed = contactCreateBody.safeParse(input);
  if (!parsed.success) return rowErrors(r.row, zodDetails(parsed.error), imp.mapping, ALIASES);
  const custom = validateCustomValues(defs, parsed.data.customFields ?? {}, { partial: false });
  if (custom.problems.length) return rowErrors(r.row, custom.problems, imp.mapping, ALIASES);
  return {
    row: r.row,
    input: parsed.data,
    custom: custom.values,
    email: parsed.data.emails?.[0]?.email.toLowerCase() ?? null,
    company,
  };
}

/** The live contacts that a batch's emails match, in one query. */
function findExisting(ctx: Ctx, tx: Tx, emails: string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db(tx)
    .selectFrom('contacts')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('email', 'in', emails)
    .where('deleted_at', 'is', null)
    .where('merged_into', 'is', null)
    .execute();
}
type ExistingContact = Awaited<ReturnType<typeof findExisting>>[number];

/**
 * Links each row that names a company to the existing one it means: by normalized domain first,
 * then by exact name ignoring case (the oldest wins a tie). Only companies the actor may read
 * are candidates, as for a contact created through the API.
 */
async function linkCompanies(ctx: Ctx, tx: Tx, planned: Planned[]): Promise<void> {
  const domains = [
    ...new Set(planned.flatMap((p) => (p.company?.domain ? [p.company.domain] : []))),
  ];
  const names = [
    ...new Set(planned.flatMap((p) => (p.company?.name ? [p.company.name.toLowerCase()] : []))),
  ];
  if (domains.length === 0 && names.length === 0) return;
  const rows = await db(tx)
    .selectFrom('companies')
    .select(['id', 'name', 'domain', 'owner_id'])
    .where('organization_id', '=', ctx.organizationId)
    .where('deleted_at', 'is', null)
    .where('merged_into', 'is', null)
    .where((eb) =>
      eb.or([
        ...(domains.length ? [eb('domain', 'in', domains)] : []),
        ...(names.length ? [eb(sql<string>`lower(name)`, 'in', names)] : []),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byDomain = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const c of rows) {
    if (!decide(ctx.actor, 'companies:read', { ownerId: c.owner_id }).allowed) continue;
    if (c.domain && !byDomain.has(c.domain)) byDomain.set(c.domain, c.id);
    if (!byName.has(c.name.toLowerCase())) byName.set(c.name.toLowerCase(), c.id);
  }
  for (const p of planned) {
    const id =
      (p.company?.domain ? byDomain.get(p.company.domain) : undefined) ??
      (p.company?.name ? byName.get(p.company.name.toLowerCase()) : undefined);
    if (id) p.input = { ...p.input, companyId: id };
  }
}

/** Updates one matching contact and remembers its previous state for a rollback. */
async function updateExisting(
  ctx: Ctx,
  tx: Tx,
  imp: ImportJob,
  existing: ExistingContact,
  p: Planned,
): Promise<{ kind: 'updated' | 'skipped'; errors: RowError[] }> {
  if (!decide(ctx.actor, 'contacts:update', { ownerId: existing.owner_id }).allowed) {
    return {
      kind: 'skipped',
      errors: [
        { row: p.row, column: null, message: 'a matching contact exists that you may not update' },
      ],
    };
  }
  if (!imp.dry_run) {
    await rememberUpdate(ctx, tx, imp, existing.id, existing);
    const { emails: _e, ...rest } = p.input;
    await db(tx)
      .updateTable('contacts')
      .set({
        ...contactColumns(rest, { ...existing.custom_fields, ...p.custom }),
        version: existing.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', existing.id)
      .execute();
  }
  return { kind: 'updated', errors: [] };
}

/** Contacts dedupe by email: within the file and against the organization's live contacts. */
async function importBatch(
  ctx: Ctx,
  tx: Tx,
  imp: ImportJob,
  rows: ImportRow[],
): Promise<BatchOutcome> {
  const defs = await loadCustomFields(tx, ctx.organizationId, 'contact');
  const out = emptyOutcome();
  const planned = planRows(rows, (r) => planRow(imp, r, defs), out);
  await linkCompanies(ctx, tx, planned);
  const dedupe = imp.dedupe !== 'create';
  const existing = new Map(
    (dedupe
      ? await findExisting(ctx, tx, [
          ...new Set(planned.flatMap((p) => (p.email ? [p.email] : []))),
        ])
      : []
    ).map((c) => [c.email ?? '', c]),
  );
  const pending = new Map<string, Planned>();
  const creates: Planned[] = [];
  for (const p of planned) {
    const match = dedupe && p.email ? existing.get(p.email) : undefined;
    const earlier = dedupe && p.email ? pending.get(p.email) : undefined;
    if (imp.dedupe === 'skip' && (match || earlier)) {
      out.skipped++;
    } else if (match) {
      const outcome = await updateExisting(ctx, tx, imp, match, p);
      out[outcome.kind]++;
      out.errors.push(...outcome.errors);
    } else if (earlier) {
      // A later row for an email this file already creates updates that new contact.
      earlier.input = {
        ...earlier.input,
        ...Object.fromEntries(Object.entries(p.input).filter(([, v]) => v !== undefined)),
      };
      earlier.custom = { ...earlier.custom, ...p.custom };
      out.updated++;
    } else {
      creates.push(p);
      if (dedupe && p.email) pending.set(p.email, p);
    }
  }
  const inserted = await insertCreates(
    ctx,
    tx,
    imp,
    creates,
    (items) =>
      insertContacts(
        tx,
        items.map(({ plan, id }) => ({
          organization_id: ctx.organizationId,
          id,
          ...contactColumns({ ...plan.input, ownerId: ctx.actor.userId }, plan.custom),
          source: plan.input.source ?? 'import',
        })),
      ),
    (e) => ({
      column: null,
      message: e instanceof DomainError ? e.message : 'the row could not be saved',
    }),
  );
  out.created += inserted.created;
  out.failed += creates.length - inserted.created;
  out.errors.push(...inserted.errors);
  return out;
}

const JSON_COLUMNS = [
  'emails',
  'phones',
  'address',
  'social_profiles',
  'email_consent',
  'custom_fields',
] as const;

/**
 * Inserts a batch of contacts as one JSON parameter expanded by the database. A multi-row VALUES
 * of 2,000 rows binds ~40,000 parameters, which cost more to build, send and parse than the rows
 * themselves. Columns a row leaves out take the table's defaults.
 */
async function insertContacts(
  tx: Tx,
  rows: ReadonlyArray<
    ReturnType<typeof contactColumns> & { organization_id: string; id: string; source: string }
  >,
): Promise<void> {
  // contactColumns serializes json columns for Kysely; here they travel inside one JSON document.
  const docs = rows.map((r) => {
    const doc: Record<string, unknown> = { ...r };
    for (const c of JSON_COLUMNS)
      if (typeof r[c] === 'string') doc[c] = JSON.parse(r[c]) as unknown;
    return doc;
  });
  await sql`
    insert into contacts (organization_id, id, first_name, last_name, email, emails, phone, phones, title, company_id, owner_id, status, source, tags, address, social_profiles, email_consent, custom_fields)
    select organization_id, id, first_name, last_name, email, coalesce(emails, '[]'), phone, coalesce(phones, '[]'), title, company_id, owner_id, coalesce(status, 'LEAD'), source,
           coalesce(tags, '{}'), address, coalesce(social_profiles, '{}'), coalesce(email_consent, '{"status":"unknown"}'), coalesce(custom_fields, '{}')
    from jsonb_populate_recordset(null::contacts, ${JSON.stringify(docs)}::jsonb)`.execute(tx);
}

/** The contact columns an import may change, as its rollback snapshot holds them. */
const contactSnapshot = z.object({
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  email: z.string().nullable(),
  emails: z.array(z.unknown()),
  phone: z.string().nullable(),
  phones: z.array(z.unknown()),
  title: z.string().nullable(),
  company_id: z.string().nullable().default(null),
  status: z.enum(['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE']),
  source: z.string().nullable(),
  tags: z.array(z.string()),
  address: z.record(z.string(), z.string()).nullable().default(null),
  custom_fields: z.record(z.string(), z.unknown()).default({}),
});

/** Contact imports: the one every import was before companies. */
export const CONTACT_IMPORT: ImportKind = {
  resource: 'contacts',
  importBatch,
  records: { table: 'contacts', object: 'contact' },
  guards: (ctx, tx, ids) => ownerGuards(ctx, tx, 'contacts', ids),
  async restore(ctx, tx, id, before) {
    const b = contactSnapshot.parse(before);
    // The company it pointed at may be gone since (a rolled-back company import); then it points nowhere.
    const company = b.company_id
      ? await db(tx)
          .selectFrom('companies')
          .select('id')
          .where('organization_id', '=', ctx.organizationId)
          .where('id', '=', b.company_id)
          .executeTakeFirst()
      : undefined;
    await db(tx)
      .updateTable('contacts')
      .set({
        first_name: b.first_name,
        last_name: b.last_name,
        email: b.email,
        emails: JSON.stringify(b.emails),
        phone: b.phone,
        phones: JSON.stringify(b.phones),
        title: b.title,
        company_id: company?.id ?? null,
        status: b.status,
        source: b.source,
        tags: b.tags,
        address: b.address ? JSON.stringify(b.address) : null,
        custom_fields: JSON.stringify(b.custom_fields),
        updated_at: new Date(),
        version: sql`version + 1`,
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
  },
};
