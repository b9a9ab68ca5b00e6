import { authorize } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, isDomainError } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import {
  companyDomainOfEmail,
  createCompany,
  createContact,
  getCompany,
  getContact,
  listCompanies,
  listContacts,
  relinkActivities,
  updateContact,
} from '../records/index.js';
import { createDeal } from './deals.js';
import { leadAlreadyConverted } from './errors.js';
import { LEAD_EVENTS, type LeadConvertedPayload } from './events.js';
import { guardOf, loadLead, type LeadRow } from './lead-access.js';
import { presentLead, type Lead } from './leads.js';
import type { SalesTables } from './schema.js';

/** Options of a conversion. */
export interface ConvertInput {
  /** Also open a deal, in the default pipeline's first stage. */
  createDeal?: boolean;
  deal?: { name?: string; amount?: number; currency?: string };
  /** Convert into this contact instead of matching by email. */
  contactId?: string;
  /** Link this company instead of matching by email domain or name. */
  companyId?: string;
}

/** What a conversion made or found. */
export interface Conversion {
  lead: Lead;
  contact: { id: string; created: boolean };
  company: { id: string; created: boolean } | null;
  deal: { id: string } | null;
}

/** A chosen id the actor cannot read is a bad reference (422), not a missing conversion (404). */
async function visible<T>(load: () => Promise<T>, path: string, what: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (isDomainError(err) && err.kind === 'not_found')
      throw unknownReferences([{ path, message: unknownReferenceMessage(what) }]);
    throw err;
  }
}

/** The given company, else the one with the email's domain, else one with the same name, else a new one. */
async function resolveCompany(
  ctx: Ctx,
  lead: LeadRow,
  companyId: string | undefined,
): Promise<Conversion['company']> {
  if (companyId)
    return {
      id: (await visible(() => getCompany(ctx, companyId), 'companyId', 'company')).id,
      created: false,
    };
  const domain = lead.email ? companyDomainOfEmail(lead.email) : null;
  if (domain) {
    const [byDomain] = (await listCompanies(ctx, { 'filter[domain]': domain, limit: '1' })).data;
    if (byDomain) return { id: byDomain.id, created: false };
  }
  const name = lead.company_name?.trim();
  if (name) {
    const similar = (await listCompanies(ctx, { 'filter[name][contains]': name, limit: '200' }))
      .data;
    const byName = similar.find((c) => c.name.trim().toLowerCase() === name.toLowerCase());
    if (byName) return { id: byName.id, created: false };
  }
  if (!name && !domain) return null;
  const company = await createCompany(ctx, {
    name: name ?? domain ?? '',
    domain,
    ...(lead.owner_id ? { ownerId: lead.owner_id } : {}),
  });
  return { id: company.id, created: true };
}

/** The given contact, else the one with the lead's email, else a new one from the lead's person. */
async function resolveContact(
  ctx: Ctx,
  lead: LeadRow,
  contactId: string | undefined,
  companyId: string | null,
): Promise<Conversion['contact']> {
  const existing = contactId
    ? await visible(() => getContact(ctx, contactId), 'contactId', 'contact')
    : lead.email
      ? (await listContacts(ctx, { 'filter[email]': lead.email.toLowerCase(), limit: '1' })).data[0]
      : undefined;
  if (existing) {
    if (companyId && !existing.companyId) await updateContact(ctx, existing.id, { companyId });
    return { id: existing.id, created: false };
  }
  if (!(lead.first_name || lead.last_name || lead.email)) {
    throw new DomainError(
      'rule_violated',
      'SALES_LEAD_NO_PERSON',
      'This lead names no person (no name or email) to become a contact; add one, or convert into an existing contact with contactId',
      {
        details: [{ path: 'contactId', message: 'is required when the lead names no person' }],
      },
    );
  }
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
 * Converts a lead in one transaction: finds or creates its contact and company, moves its
 * activities to the contact, optionally opens a deal, and marks the lead converted with links to
 * all of them. Converting twice is a 409.
 */
export async function convertLead(ctx: Ctx, id: string, input: ConvertInput): Promise<Conversion> {
  return ctx.tx(async (tx) => {
    const lead = await loadLead(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'leads:update', guardOf(lead));
    if (lead.status === 'converted') throw leadAlreadyConverted(lead.converted_contact_id);
    const company = await resolveCompany(ctx, lead, input.companyId);
    const contact = await resolveContact(ctx, lead, input.contactId, company?.id ?? null);
    await moveActivities(ctx, tx, lead.id, contact.id, company?.id ?? null);
    const deal = input.createDeal
      ? await createDeal(ctx, {
          name: input.deal?.name ?? `${lead.company_name ?? presentLead(lead).name} deal`,
          contactId: contact.id,
          companyId: company?.id ?? null,
          ownerId: lead.owner_id,
          leadId: lead.id,
          ...(input.deal?.amount !== undefined ? { amount: input.deal.amount } : {}),
          ...(input.deal?.currency ? { currency: input.deal.currency } : {}),
        })
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
