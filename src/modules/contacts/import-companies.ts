import { sql } from 'kysely';
import { z } from 'zod';
import { decide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, type ErrorDetail } from '../../platform/errors/index.js';
import { zodDetails } from '../../platform/http/index.js';
import { companyColumns, companyDomainOf } from './companies.js';
import { companyCreateBody } from './company-fields.js';
import {
  type BatchOutcome,
  columnOf,
  customCellValue,
  emptyOutcome,
  type ImportJob,
  type ImportKind,
  type ImportRow,
  insertCreates,
  isUniqueViolation,
  loadCustomFields,
  ownerGuards,
  planRows,
  rememberUpdate,
  type RowError,
  rowErrors,
  validateCustomValues,
  validationDetails,
} from '../records/index.js';
import type { ContactsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<ContactsTables>();

type Defs = Awaited<ReturnType<typeof loadCustomFields>>;
type CompanyCreate = z.output<typeof companyCreateBody>;

const ADDRESS_PARTS = ['street', 'city', 'region', 'postalCode', 'country'];
/** A currency problem is the currency column's, when there is one. */
const ALIASES = { 'annualRevenue.currency': 'currency' };
const DEFAULT_CURRENCY = 'USD';

/** A validated row, ready to write. */
interface Planned {
  row: number;
  input: CompanyCreate;
  /** Normalized, from the domain column or else the website (the company API's rule). */
  domain: string | null;
  /** The custom values the row gives, validated and normalized. */
  custom: Record<string, unknown>;
  /** Required custom fields the row leaves empty: creating fails on them, updating keeps the stored values. */
  missing: RowError[];
  /** The name as dedupe compares it: exact but for case and surrounding blanks. */
  nameKey: string;
}

/** Digits after the decimal point in `currency` (JPY 0, USD 2, BHD 3): revenue is stored in minor units. */
function fractionDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2; // an unknown code; the schema names it
  }
}

/**
 * Reads revenue as exports write it, in major units: "1200000", "$1,200,000.50", "EUR 500000"
 * (the code then gives the currency). Shorthand like "1.2M" is refused rather than guessed.
 */
function parseRevenue(
  text: string,
  currencyCell: string | undefined,
): { amount: number; currency: string } | null {
  const code = /\b[A-Za-z]{3}\b/.exec(text)?.[0];
  const digits = text.replace(/\b[A-Za-z]{3}\b/, '').replace(/[\s$€£¥]/g, '');
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(digits)) return null;
  const currency = (currencyCell ?? code ?? DEFAULT_CURRENCY).toUpperCase();
  return {
    amount: Math.round(Number(digits.replace(/,/g, '')) * 10 ** fractionDigits(currency)),
    currency,
  };
}

/** Turns a file row into company input using the mapping; problems the schema cannot see come apart. */
function toInput(
  values: Record<string, string>,
  mapping: Record<string, string>,
): { input: Record<string, unknown>; problems: ErrorDetail[] } {
  const out: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const address: Record<string, string> = {};
  const cell = (field: string) => Object.entries(mapping).find(([, f]) => f === field)?.[0];
  const problems: ErrorDetail[] = [];
  for (const [header, field] of Object.entries(mapping)) {
    const v = values[header]?.trim();
    if (!v || field === 'currency') continue;
    if (field.startsWith('custom.')) custom[field.slice(7)] = customCellValue(v);
    else if (ADDRESS_PARTS.includes(field)) address[field] = v;
    // Exports often leave out the scheme ("www.acme.com"); the API wants a URL.
    else if (field === 'website')
      out.website = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`;
    else if (field === 'annualRevenue') {
      const currencyHeader = cell('currency');
      const revenue = parseRevenue(
        v,
        (currencyHeader ? values[currencyHeader]?.trim() : undefined) || undefined,
      );
      if (revenue) out.annualRevenue = revenue;
      else
        problems.push({
          path: 'annualRevenue',
          message: 'must be an amount like 1200000 or 1,200,000.50',
        });
    } else out[field] = v;
  }
  if (Object.keys(address).length) out.address = address;
  if (Object.keys(custom).length) out.customFields = custom;
  return { input: out, problems };
}

/** Validates one row by the company create rules (schema, domain, custom fields); failures name the column. */
function planRow(imp: ImportJob, r: ImportRow, defs: Defs): Planned | RowError[] {
  const { input, problems } = toInput(r.values, imp.mapping);
  if (problems.length) return rowErrors(r.row, problems, imp.mapping, ALIASES);
  const parsed = companyCreateBody.safeParse(input);
  if (!parsed.success) return rowErrors(r.row, zodDetails(parsed.error), imp.mapping, ALIASES);
  let domain: string | null;
  try {
    domain = companyDomainOf(parsed.data) ?? null;
  } catch (e) {
    const details = validationDetails(e);
    if (!details) throw e;
    return rowErrors(r.row, details, imp.mapping);
  }
  const custom = validateCustomValues(defs, parsed.data.customFields ?? {}, { partial: true });
  if (custom.problems.length) return rowErrors(r.row, custom.problems, imp.mapping);
  const missing = defs
    .filter((d) => d.required && (custom.values[d.key] ?? null) === null)
    .map((d) => ({ path: `customFields.${d.key}`, message: 'is required' }));
  return {
    row: r.row,
    input: parsed.data,
    domain,
    custom: custom.values,
    missing: rowErrors(r.row, missing, imp.mapping),
    nameKey: parsed.data.name.trim().toLowerCase(),
  };
}

/**
 * The organization's live companies a batch may match, in one query: by domain always (a domain
 * is unique, so even `create` must know it is taken), by name for rows without a domain.
 */
function findExisting(ctx: Ctx, tx: Tx, imp: ImportJob, planned: Planned[]) {
  const domains = [...new Set(planned.flatMap((p) => (p.domain ? [p.domain] : [])))];
  const names =
    imp.dedupe === 'create'
      ? []
      : [...new Set(planned.flatMap((p) => (p.domain ? [] : [p.nameKey])))];
  if (domains.length === 0 && names.length === 0) return Promise.resolve([]);
  return db(tx)
    .selectFrom('companies')
    .selectAll()
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
}
type ExistingCompany = Awaited<ReturnType<typeof findExisting>>[number];

/** Updates one matching company and remembers its previous state for a rollback. */
async function updateExisting(
  ctx: Ctx,
  tx: Tx,
  imp: ImportJob,
  existing: ExistingCompany,
  p: Planned,
): Promise<{ kind: 'updated' | 'skipped'; errors: RowError[] }> {
  if (!decide(ctx.actor, 'companies:update', { ownerId: existing.owner_id }).allowed) {
    return {
      kind: 'skipped',
      errors: [
        { row: p.row, column: null, message: 'a matching company exists that you may not update' },
      ],
    };
  }
  if (!imp.dry_run) {
    await rememberUpdate(ctx, tx, imp, existing.id, existing);
    await db(tx)
      .updateTable('companies')
      // The domain is never changed: a match by domain has it already, a match by name has none in the row.
      .set({
        ...companyColumns(p.input, undefined, { ...existing.custom_fields, ...p.custom }),
        version: existing.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', existing.id)
      .execute();
  }
  return { kind: 'updated', errors: [] };
}

/**
 * Companies dedupe by normalized domain, and by name (case-insensitive) when the row has no
 * domain: within the file and against the organization's live companies. A domain belongs to one
 * company, so `create` on a taken domain fails that row and only that row.
 */
async function importBatch(
  ctx: Ctx,
  tx: Tx,
  imp: ImportJob,
  rows: ImportRow[],
): Promise<BatchOutcome> {
  const defs = await loadCustomFields(tx, ctx.organizationId, 'company');
  const out = emptyOutcome();
  const planned = planRows(rows, (r) => planRow(imp, r, defs), out);
  const byDomain = new Map<string, ExistingCompany>();
  const byName = new Map<string, ExistingCompany>();
  for (const c of await findExisting(ctx, tx, imp, planned)) {
    if (c.domain && !byDomain.has(c.domain)) byDomain.set(c.domain, c);
    if (!byName.has(c.name.trim().toLowerCase())) byName.set(c.name.trim().toLowerCase(), c);
  }
  const domainColumn = columnOf(imp.mapping, 'domain') ?? columnOf(imp.mapping, 'website');
  const pendingDomain = new Map<string, Planned>();
  const pendingName = new Map<string, Planned>();
  const creates: Planned[] = [];
  const create = (p: Planned) => {
    if (p.missing.length) {
      out.failed++;
      out.errors.push(...p.missing);
      return;
    }
    creates.push(p);
    if (p.domain) pendingDomain.set(p.domain, p);
    // Like an existing company, a new one is matched by name from rows that give no domain.
    if (!pendingName.has(p.nameKey)) pendingName.set(p.nameKey, p);
  };
  for (const p of planned) {
    if (imp.dedupe === 'create') {
      if (p.domain && (byDomain.has(p.domain) || pendingDomain.has(p.domain))) {
        out.failed++;
        out.errors.push({
          row: p.row,
          column: domainColumn,
          message: `domain: a company with the domain ${p.domain} already exists; a domain belongs to one company, so import with dedupe "update" or "skip" to match it`,
        });
      } else create(p);
      continue;
    }
    const match = p.domain ? byDomain.get(p.domain) : byName.get(p.nameKey);
    const earlier = p.domain ? pendingDomain.get(p.domain) : pendingName.get(p.nameKey);
    if (imp.dedupe === 'skip' && (match || earlier)) {
      out.skipped++;
    } else if (match) {
      const outcome = await updateExisting(ctx, tx, imp, match, p);
      out[outcome.kind]++;
      out.errors.push(...outcome.errors);
    } else if (earlier) {
      // A later row for a company this file already creates updates that new company.
      earlier.input = {
        ...earlier.input,
        ...Object.fromEntries(Object.entries(p.input).filter(([, v]) => v !== undefined)),
      };
      earlier.custom = { ...earlier.custom, ...p.custom };
      out.updated++;
    } else create(p);
  }
  const inserted = await insertCreates(
    ctx,
    tx,
    imp,
    creates,
    (items) =>
      db(tx)
        .insertInto('companies')
        .values(
          items.map(({ plan, id }) => ({
            organization_id: ctx.organizationId,
            id,
            name: plan.input.name.trim(),
            ...companyColumns(
              { ...plan.input, ownerId: ctx.actor.userId },
              plan.domain,
              plan.custom,
            ),
          })),
        )
        .execute(),
    // Another writer can take a domain between the check above and the insert.
    (e) =>
      isUniqueViolation(e)
        ? { column: domainColumn, message: 'domain: a company with this domain already exists' }
        : {
            column: null,
            message: e instanceof DomainError ? e.message : 'the row could not be saved',
          },
  );
  out.created += inserted.created;
  out.failed += creates.length - inserted.created;
  out.errors.push(...inserted.errors);
  return out;
}

/** The company columns an import may change, as its rollback snapshot holds them. */
const companySnapshot = z.object({
  name: z.string(),
  industry: z.string().nullable(),
  size: z.string().nullable(),
  annual_revenue: z.union([z.number(), z.string()]).nullable(),
  currency: z.string().nullable(),
  website: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.record(z.string(), z.string()).nullable().default(null),
  custom_fields: z.record(z.string(), z.unknown()).default({}),
});

/** Company imports. */
export const COMPANY_IMPORT: ImportKind = {
  resource: 'companies',
  importBatch,
  records: { table: 'companies', object: 'company' },
  guards: (ctx, tx, ids) => ownerGuards(ctx, tx, 'companies', ids),
  async restore(ctx, tx, id, before) {
    const b = companySnapshot.parse(before);
    await db(tx)
      .updateTable('companies')
      .set({
        name: b.name,
        industry: b.industry,
        size: b.size,
        annual_revenue: b.annual_revenue === null ? null : Number(b.annual_revenue),
        currency: b.currency,
        website: b.website,
        phone: b.phone,
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
