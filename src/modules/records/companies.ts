import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type { FieldMap } from '../../platform/listing/index.js';
import { emitAssigned } from '../../platform/outbox/index.js';
import { listRecords } from './record-list.js';
import { matchesSql, type TextQuery } from './text-search.js';
import { validatedCustomFields } from './custom-fields.js';
import { recordMerged } from './errors.js';
import { normalizeDomain } from './normalize.js';
import { assertReferences } from '../../platform/references/index.js';
import { moveToTrash, takeOutOfTrash, type TrashTarget } from '../../platform/objects/index.js';
import { assertVersion, authorizeCreate } from './record-access.js';
import type { Address, CompanyTable, RecordsTables } from './schema.js';

const COMPANY_TRASH: TrashTarget = { table: 'companies', key: 'company', label: 'Company' };

const db = (tx: Tx) => tx.withTables<RecordsTables>();
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

export async function createCompany(
  ctx: Ctx,
  input: CompanyInput & { name: string },
): Promise<Company> {
  const ownerId = input.ownerId === undefined ? ctx.actor.userId : input.ownerId;
  authorizeCreate(ctx, 'companies:create', ownerId);
  const domain = companyDomainOf(input);
  return ctx.tx(async (tx) => {
    await assertReferences(ctx, tx, [
      { field: 'ownerId', kind: 'user', id: ownerId },
      { field: 'parentId', kind: 'company', id: input.parentId },
    ]);
    await assertDomainFree(ctx, tx, domain);
    const custom = await validatedCustomFields(ctx, tx, 'company', input.customFields, false);
    const row = await db(tx)
      .insertInto('companies')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        name: input.name.trim(),
        ...companyColumns({ ...input, ownerId }, domain, custom ?? {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const company = presentCompany(row);
    await ctx.audit(tx, {
      action: 'company.created',
      targetType: 'company',
      targetId: row.id,
      diff: fieldDiff(null, auditable(company)),
    });
    await ctx.emit(tx, {
      type: 'company.created',
      aggregateType: 'company',
      aggregateId: row.id,
      payload: { company },
    });
    await emitAssigned(
      ctx,
      tx,
      {
        recordType: 'company',
        recordId: row.id,
        kind: 'company',
        label: company.name,
        ownerId: company.ownerId,
        previousOwnerId: null,
      },
      { created: true },
    );
    return company;
  });
}

function auditable(c: Company): Record<string, unknown> {
  const { version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest } = c;
  return rest;
}

/** Loads a company the actor may read, or throws 404 (RECORD_MERGED for merged-away ids). */
export async function loadCompany(
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean; includeDeleted?: boolean } = {},
): Promise<CompanyRow> {
  let q = db(tx)
    .selectFrom('companies')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Company');
  authorize(ctx, 'companies:read', { ownerId: row.owner_id });
  if (row.merged_into) throw recordMerged('Company', row.merged_into);
  if (row.deleted_at && !options.includeDeleted) throw errors.notFound('Company');
  return row;
}

export async function getCompany(ctx: Ctx, id: string): Promise<Company> {
  return ctx.tx(async (tx) => presentCompany(await loadCompany(ctx, tx, id)));
}

export async function updateCompany(
  ctx: Ctx,
  id: string,
  input: CompanyInput,
  expectedVersion?: number,
): Promise<Company> {
  const domain = companyDomainOf(input);
  return ctx.tx(async (tx) => {
    const current = await loadCompany(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'companies:update', { ownerId: current.owner_id });
    assertVersion(expectedVersion, current.version);
    if (input.ownerId !== undefined && input.ownerId !== current.owner_id)
      authorizeCreate(ctx, 'companies:update', input.ownerId);
    if (input.parentId === id)
      throw errors.validation([
        { path: 'parentId', message: 'a company cannot be its own parent' },
      ]);
    await assertReferences(ctx, tx, [
      { field: 'ownerId', kind: 'user', id: input.ownerId },
      { field: 'parentId', kind: 'company', id: input.parentId },
    ]);
    await assertDomainFree(ctx, tx, domain, id);
    const custom = await validatedCustomFields(
      ctx,
      tx,
      'company',
      input.customFields,
      true,
      current.custom_fields,
    );
    const row = await db(tx)
      .updateTable('companies')
      .set({
        ...companyColumns(input, domain, custom),
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentCompany(row);
    const diff = fieldDiff(auditable(presentCompany(current)), auditable(after));
    await ctx.audit(tx, { action: 'company.updated', targetType: 'company', targetId: id, diff });
    await ctx.emit(tx, {
      type: 'company.updated',
      aggregateType: 'company',
      aggregateId: id,
      payload: { company: after, changes: diff },
    });
    await emitAssigned(ctx, tx, {
      recordType: 'company',
      recordId: id,
      kind: 'company',
      label: after.name,
      ownerId: after.ownerId,
      previousOwnerId: current.owner_id,
    });
    return after;
  });
}

/** Moves a company to the trash (restorable for 30 days). */
export async function deleteCompany(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const current = await loadCompany(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'companies:delete', { ownerId: current.owner_id });
    await moveToTrash(ctx, tx, COMPANY_TRASH, current);
  });
}

/** Brings a company back from the trash, unless another company took its domain meanwhile. */
export async function restoreCompany(ctx: Ctx, id: string): Promise<Company> {
  return ctx.tx(async (tx) => {
    const current = await loadCompany(ctx, tx, id, { forUpdate: true, includeDeleted: true });
    authorize(ctx, 'companies:delete', { ownerId: current.owner_id });
    await assertDomainFree(ctx, tx, current.domain, id);
    return takeOutOfTrash(ctx, tx, COMPANY_TRASH, current, async () =>
      presentCompany(await loadCompany(ctx, tx, id)),
    );
  });
}

export const COMPANY_FIELDS: FieldMap = {
  name: { column: 'name', type: 'text', notNull: true },
  domain: { column: 'domain', type: 'text' },
  industry: { column: 'industry', type: 'text' },
  size: { column: 'size', type: 'text' },
  annualRevenue: { column: 'annual_revenue', type: 'number' },
  ownerId: { column: 'owner_id', type: 'uuid' },
  parentId: { column: 'parent_id', type: 'uuid' },
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
  updatedAt: { column: 'updated_at', type: 'datetime', notNull: true },
};

export async function listCompanies(
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<{ data: Company[]; meta: { nextCursor: string | null; total?: number } }> {
  authorize(ctx, 'companies:read');
  return ctx.tx(async (tx) => {
    const page = await listRecords<CompanyRow>(
      ctx,
      tx,
      {
        table: 'companies',
        objectType: 'company',
        permission: 'companies:read',
        mergeable: true,
        fields: COMPANY_FIELDS,
        search: companySearchSql,
      },
      rawQuery,
    );
    return {
      data: page.rows.map(presentCompany),
      meta: {
        nextCursor: page.nextCursor,
        ...(page.total !== undefined ? { total: page.total } : {}),
      },
    };
  });
}

/** Matches every word of a company name or domain, as a prefix, typos corrected against known names. */
export const companySearchSql = (q: TextQuery) => matchesSql('cerebro_words_companies', q);
