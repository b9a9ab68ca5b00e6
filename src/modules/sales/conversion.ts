import { authorize } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, isDomainError } from '../../platform/errors/index.js';
import { companyDomainOfEmail, relinkActivities } from '../records/index.js';
import { createCompany, createContact, listCompanies, updateContact } from '../contacts/index.js';
import {
  assertConvertible,
  defaultDealName,
  findCompany,
  findContact,
  leadNamesNoPerson,
  type CompanyMatch,
  type ContactMatch,
  type ConversionChoice,
} from './conversion-match.js';
import { createDeal } from './deals.js';
import { LEAD_EVENTS, type LeadConvertedPayload } from './events.js';
import { guardOf, type LeadRow } from './lead-access.js';
import { loadLead, presentLead, type Lead } from './leads.js';
import type { SalesTables } from './schema.js';

/** The deal a conversion opens; what is absent takes the defaults the preview shows. */
export interface ConversionDealInput {
  /** Defaults to "<company or person> deal". */
  name?: string;
  /** Minor units; defaults to 0. */
  amount?: number;
  /** Defaults to the organization's base currency. */
  currency?: string;
  /** An ISO date (2026-12-31). */
  expectedCloseDate?: string;
  /** Defaults to the default pipeline. */
  pipelineId?: string;
  /** Must be a stage of the pipeline; defaults to its first open stage. */
  stageId?: string;
  /** Defaults to the lead's owner. */
  ownerId?: string | null;
}

/** Options of a conversion. */
export interface ConvertInput extends ConversionChoice {
  /** Also open a deal, in the default pipeline's first stage unless `deal` says otherwise. */
  createDeal?: boolean;
  deal?: ConversionDealInput;
}

/** What a conversion made or found. */
export interface Conversion {
  lead: Lead;
  contact: { id: string; created: boolean };
  company: { id: string; created: boolean } | null;
  deal: { id: string } | null;
}

/** A domain belongs to one company: a second one made on purpose goes without it. */
async function isDomainTaken(ctx: Ctx, domain: string): Promise<boolean> {
  return (await listCompanies(ctx, { 'filter[domain]': domain, limit: '1' })).data.length > 0;
}

/** Creates the company when the match says `new`; otherwise uses what was found. */
async function companyFor(ctx: Ctx, lead: LeadRow, found: CompanyMatch, forced: boolean) {
  if (found.company) return { id: found.company.id, created: false };
  if (found.match === 'none') return null;
  const emailDomain = lead.email ? companyDomainOfEmail(lead.email) : null;
  const domain =
    emailDomain && forced && (await isDomainTaken(ctx, emailDomain)) ? null : emailDomain;
  const company = await createCompany(ctx, {
    name: lead.company_name?.trim() || emailDomain || '',
    domain,
    ...(lead.owner_id ? { ownerId: lead.owner_id } : {}),
  });
  return { id: company.id, created: true };
}

/** Creates the contact when the match says `new`; links a found one without a company. */
async function contactFor(
  ctx: Ctx,
  lead: LeadRow,
  found: ContactMatch,
  companyId: string | null,
): Promise<Conversion['contact']> {
  if (found.contact) {
    if (companyId && !found.contact.companyId)
      await updateContact(ctx, found.contact.id, { companyId });
    return { id: found.contact.id, created: false };
  }
  if (found.match === 'none') throw leadNamesNoPerson();
  const contact = await createContact(ctx, {
    firstName: lead.first_name,
    lastName: lead.last_name,
    title: lead.title,
    companyId,
    source: lead.source,
    tags: lead.tags,
    status: 'PROSPECT',
    emails: lead.email ? [{ email: lead.email, primary: true }] : [],
    phones: lead.phone ? [{ number: lead.phone, primary: true }] : [],
    ...(lead.owner_id ? { ownerId: lead.owner_id } : {}),
  });
  return { id: contact.id, created: true };
}

const DEAL_INPUT_FIELDS = new Set([
  'name',
  'amount',
  'currency',
  'expectedCloseDate',
  'pipelineId',
  'stageId',
  'ownerId',
]);

/**
 * The deals service names its own fields (`stageId`); in a conversion the client sent them under
 * `deal`, so a 4xx names `deal.stageId` — the field the client can fix.
 */
function underDeal(err: unknown): unknown {
  if (!isDomainError(err) || !Array.isArray(err.details)) return err;
  const details = err.details.map((d) =>
    DEAL_INPUT_FIELDS.has(d.path) ? { ...d, path: `deal.${d.path}` } : d,
  );
  const message = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new DomainError(err.kind, err.code, details.length ? message : err.message, {
    details,
    cause: err,
  });
}

/** Opens the conversion's deal, linked to the lead, its contact and company. */
async function openDeal(
  ctx: Ctx,
  lead: LeadRow,
  input: ConversionDealInput,
  links: { contactId: string; companyId: string | null },
): Promise<{ id: string }> {
  const { name, ownerId, ...rest } = input;
  try {
    const deal = await createDeal(ctx, {
      ...rest,
      name: name ?? defaultDealName(lead),
      ownerId: ownerId === undefined ? lead.owner_id : ownerId,
      leadId: lead.id,
      ...links,
    });
    return { id: deal.id };
  } catch (err) {
    throw underDeal(err);
  }
}

/**
 * Links the lead's activities to the contact (replacing the contact they named) and to the
 * company where they name none; they keep their link to the lead. Records owns the links.
 */
async function moveActivities(
  ctx: Ctx,
  tx: Tx,
  leadId: string,
  contactId: string,
  companyId: string | null,
): Promise<void> {
  await relinkActivities(ctx, tx, { objectType: 'lead', recordId: leadId }, [
    { objectType: 'contact', recordId: contactId, replace: true },
    ...(companyId ? [{ objectType: 'company', recordId: companyId, replace: false }] : []),
  ]);
}

/**
 * Converts a lead in one transaction: finds its contact and company (conversion-match.ts, as the
 * preview does) and creates those found `new`, moves its activities to the contact, optionally
 * opens a deal, and marks the lead converted with links to all of them. Converting twice is a
 * 409, a disqualified lead a 422.
 */
export async function convertLead(ctx: Ctx, id: string, input: ConvertInput): Promise<Conversion> {
  return ctx.tx(async (tx) => {
    const lead = await loadLead(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'leads:update', guardOf(lead));
    assertConvertible(lead);
    const found = await findCompany(ctx, lead, input);
    const company = await companyFor(ctx, lead, found, input.newCompany === true);
    const companyId = company?.id ?? null;
    const contact = await contactFor(ctx, lead, await findContact(ctx, lead, input), companyId);
    await moveActivities(ctx, tx, lead.id, contact.id, companyId);
    const deal = input.createDeal
      ? await openDeal(ctx, lead, input.deal ?? {}, { contactId: contact.id, companyId })
      : null;
    const row = await tx
      .withTables<SalesTables>()
      .updateTable('leads')
      .set({
        status: 'converted',
        converted_at: ctx.deps.clock.now(),
        converted_contact_id: contact.id,
        converted_company_id: company?.id ?? null,
        converted_deal_id: deal?.id ?? null,
        version: lead.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentLead(row);
    const payload: LeadConvertedPayload = {
      leadId: id,
      contactId: contact.id,
      companyId: company?.id ?? null,
      dealId: deal?.id ?? null,
      contactCreated: contact.created,
      companyCreated: company?.created ?? false,
    };
    const { status, convertedAt, convertedContactId, convertedCompanyId, convertedDealId } = after;
    await ctx.audit(tx, {
      action: 'lead.converted',
      targetType: 'lead',
      targetId: id,
      diff: fieldDiff(
        { status: lead.status },
        { status, convertedAt, convertedContactId, convertedCompanyId, convertedDealId },
      ),
    });
    await ctx.emit(tx, {
      type: LEAD_EVENTS.converted,
      aggregateType: 'lead',
      aggregateId: id,
      payload: { ...payload, lead: after },
    });
    return { lead: after, contact, company, deal };
  });
}
