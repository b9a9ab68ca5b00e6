import type { Selectable } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { COMPANY_FIELDS } from './company-fields.js';
import type { Address, CompanyTable, ContactsTables } from './schema.js';
import {
  type LifecycleHooks,
  type LoadOptions,
  matchesSql,
  normalizeDomain,
  recordLifecycle,
  type RecordListPage,
  type TextQuery,
} from '../records/index.js';

const db = (tx: Tx) => tx.withTables<ContactsTables>();
type CompanyRow = Selectable<CompanyTable>;

/** A company as the API presents it. */
export interface Company {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  annualRevenue: { amount: number; currency: string } | null;
  website: string | null;
  phone: string | null;
  address: Address | null;
  ownerId: string | null;
  parentId: string | null;
  customFields: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** Fields a client may set on a company (phone already E.164, revenue in minor units). */
export interface CompanyInput {
  name?: string;
  domain?: string | null;
  industry?: string | null;
  size?: string | null;
  annualRevenue?: { amount: number; currency: string } | null;
  website?: string | null;
  phone?: string | null;
  address?: Address | null;
  ownerId?: string | null;
  parentId?: string | null;
  customFields?: Record<string, unknown>;
}

export function presentCompany(r: CompanyRow): Company {
  return {
    id: r.id,
    name: r.name,
    domain: r.domain,
    industry: r.industry,
    size: r.size,
    annualRevenue:
      r.annual_revenue !== null && r.currency
        ? { amount: Number(r.annual_revenue), currency: r.currency }
        : null,
    website: r.website,
    phone: r.phone,
    address: r.address,
    ownerId: r.owner_id,
    parentId: r.parent_id,
    customFields: r.custom_fields,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}

/** The columns a company input sets (domain already normalized). */
export function companyColumns(
  input: CompanyInput,
  domain: string | null | undefined,
  customFields: Record<string, unknown> | undefined,
) {
  return {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(domain !== undefined ? { domain } : {}),
    ...(input.industry !== undefined ? { industry: input.industry } : {}),
    ...(input.size !== undefined ? { size: input.size } : {}),
    ...(input.annualRevenue !== undefined
      ? {
          annual_revenue: input.annualRevenue?.amount ?? null,
          currency: input.annualRevenue?.currency.toUpperCase() ?? null,
        }
      : {}),
    ...(input.website !== undefined ? { website: input.website } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.address !== undefined
      ? { address: input.address ? JSON.stringify(input.address) : null }
      : {}),
    ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
    ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
    ...(customFields !== undefined ? { custom_fields: JSON.stringify(customFields) } : {}),
  };
}

/**
 * The normalized domain of the input: from `domain`, else from `website`; 400 when unusable.
 * Imports use it too, so a company has one domain rule however it arrives.
 */
export function companyDomainOf(input: CompanyInput): string | null | undefined {
  const raw = input.domain !== undefined ? input.domain : input.website ? input.website : undefined;
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  const d = normalizeDomain(raw);
  if (!d && input.domain)
    throw errors.validation([{ path: 'domain', message: 'must be a domain like acme.com' }]);
  return d;
}

/** One company per domain in an organization: a second one is a 409 pointing at the first. */
async function assertDomainFree(
  ctx: Ctx,
  tx: Tx,
  domain: string | null | undefined,
  exceptId?: string,
): Promise<void> {
  if (!domain) return;
  let q = db(tx)
    .selectFrom('companies')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('domain', '=', domain)
    .where('deleted_at', 'is', null)
    .where('merged_into', 'is', null);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const other = await q.executeTakeFirst();
  if (other)
    throw errors.conflict(
      'RECORDS_COMPANY_DOMAIN_TAKEN',
      `A company with the domain ${domain} already exists`,
      { path: 'domain', companyId: other.id },
    );
}

/** Companies' own rules around the shared lifecycle: one domain per company, no self parent. */
const COMPANY_HOOKS: LifecycleHooks<CompanyRow, Company, CompanyInput> = {
  async beforeCreate(ctx, tx, input) {
    const domain = companyDomainOf(input);
    await assertDomainFree(ctx, tx, domain);
    return { input, columns: domain !== undefined ? { domain } : {} };
  },
  async beforeUpdate(ctx, tx, current, input) {
    if (input.parentId === current.id)
      throw errors.validation([
        { path: 'parentId', message: 'a company cannot be its own parent' },
      ]);
    const domain = companyDomainOf(input);
    await assertDomainFree(ctx, tx, domain, current.id);
    return { input, columns: domain !== undefined ? { domain } : {} };
  },
  // Restored, it must not share its domain with a company created meanwhile.
  beforeRestore: (ctx, tx, row) => assertDomainFree(ctx, tx, row.domain, row.id),
};

const companies = recordLifecycle<CompanyRow, Company, CompanyInput>({
  key: 'company',
  resource: 'companies',
  label: 'Company',
  table: 'companies',
  mergeable: true,
  present: async (_ctx, _tx, rows) => rows.map(presentCompany),
  columns: (input) => companyColumns(input, undefined, undefined),
  references: (input) => [
    { field: 'ownerId', kind: 'user', id: input.ownerId },
    { field: 'parentId', kind: 'company', id: input.parentId },
  ],
  assignment: { label: (c) => c.name, ownerOf: (c) => c.ownerId },
  list: { fields: COMPANY_FIELDS, search: (q) => companySearchSql(q) },
  hooks: COMPANY_HOOKS,
});

export const createCompany = (ctx: Ctx, input: CompanyInput & { name: string }): Promise<Company> =>
  companies.create(ctx, input);

/** Loads a company the actor may read, or throws 404 (RECORD_MERGED for merged-away ids). */
export const loadCompany = (
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: LoadOptions = {},
): Promise<CompanyRow> => companies.load(ctx, tx, id, options);

export const getCompany = (ctx: Ctx, id: string): Promise<Company> => companies.get(ctx, id);

export const updateCompany = (
  ctx: Ctx,
  id: string,
  input: CompanyInput,
  expectedVersion?: number,
): Promise<Company> => companies.update(ctx, id, input, expectedVersion);

/** Moves a company to the trash (restorable for 30 days). */
export const deleteCompany = (ctx: Ctx, id: string): Promise<void> => companies.remove(ctx, id);

/** Brings a company back from the trash, unless another company took its domain meanwhile. */
export const restoreCompany = (ctx: Ctx, id: string): Promise<Company> =>
  companies.restore(ctx, id);

export const listCompanies = (
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<RecordListPage<Company>> => companies.list(ctx, rawQuery);

/** Matches every word of a company name or domain, as a prefix, typos corrected against known names. */
export const companySearchSql = (q: TextQuery) => matchesSql('cerebro_words_companies', q);
