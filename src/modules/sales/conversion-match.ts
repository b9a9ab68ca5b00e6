import type { Ctx } from '../../platform/context/index.js';
import { DomainError, isDomainError } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import { companyDomainOfEmail } from '../records/index.js';
import {
  getCompany,
  getContact,
  listCompanies,
  listContacts,
  type Company,
  type Contact,
} from '../contacts/index.js';
import { leadAlreadyConverted, leadDisqualified } from './errors.js';
import type { LeadRow } from './lead-access.js';
import { presentLead } from './leads.js';

/**
 * The "find" half of a conversion: which contact and company a lead would become, decided
 * without writing anything. Conversion (conversion.ts) creates exactly what this calls `new`, and
 * the preview (conversion-preview.ts) shows the same answer, so the two cannot disagree.
 */

/** What the user chose in place of the automatic match. */
export interface ConversionChoice {
  /** Convert into this existing contact instead of matching by email. */
  contactId?: string | undefined;
  /** Create a new contact even when one has the lead's email. */
  newContact?: boolean | undefined;
  /** Link this existing company instead of matching by domain or name. */
  companyId?: string | undefined;
  /** Create a new company even when one has the email's domain or the lead's company name. */
  newCompany?: boolean | undefined;
}

/** A contact as a conversion names it. */
export interface ContactSummary {
  id: string;
  name: string;
  email: string | null;
  /** Its company now: a matched contact without one is linked to the conversion's company. */
  companyId: string | null;
}

/** A company as a conversion names it. */
export interface CompanySummary {
  id: string;
  name: string;
  domain: string | null;
}

/**
 * The contact a conversion uses: `email` (same email), `chosen` (contactId), `new` (made from the
 * lead's person) or `none` (the lead names no person, so one must be chosen).
 */
export type ContactMatch =
  { match: 'email' | 'chosen'; contact: ContactSummary } | { match: 'new' | 'none'; contact: null };

/**
 * The company a conversion links: `domain` (the email's), `name` (the same name), `chosen`
 * (companyId), `new` (made from the lead) or `none` (the lead names no company).
 */
export type CompanyMatch =
  | { match: 'domain' | 'name' | 'chosen'; company: CompanySummary }
  | { match: 'new' | 'none'; company: null };

const contactSummary = (c: Contact): ContactSummary => ({
  id: c.id,
  name: c.name,
  email: c.email,
  companyId: c.companyId,
});
const companySummary = (c: Company): CompanySummary => ({
  id: c.id,
  name: c.name,
  domain: c.domain,
});

/** Converting twice is a 409; a disqualified lead must be requalified first (422). */
export function assertConvertible(lead: LeadRow): void {
  if (lead.status === 'converted') throw leadAlreadyConverted(lead.converted_contact_id);
  if (lead.status === 'disqualified') throw leadDisqualified();
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

/** The lead's company name as typed, trimmed; null when blank. */
const leadCompanyName = (lead: LeadRow) => lead.company_name?.trim() || null;
const leadDomain = (lead: LeadRow) => (lead.email ? companyDomainOfEmail(lead.email) : null);
const leadPersonName = (lead: LeadRow) =>
  [lead.first_name, lead.last_name].filter(Boolean).join(' ').trim();

/** The chosen company, else the one with the email's domain, else one with the same name, else new. */
export async function findCompany(
  ctx: Ctx,
  lead: LeadRow,
  choice: ConversionChoice,
): Promise<CompanyMatch> {
  if (choice.companyId) {
    const id = choice.companyId;
    const company = await visible(() => getCompany(ctx, id), 'companyId', 'company');
    return { match: 'chosen', company: companySummary(company) };
  }
  const name = leadCompanyName(lead);
  const domain = leadDomain(lead);
  if (!name && !domain) return { match: 'none', company: null };
  if (choice.newCompany) return { match: 'new', company: null };
  if (domain) {
    const [byDomain] = (await listCompanies(ctx, { 'filter[domain]': domain, limit: '1' })).data;
    if (byDomain) return { match: 'domain', company: companySummary(byDomain) };
  }
  if (name) {
    const similar = (await listCompanies(ctx, { 'filter[name][contains]': name, limit: '200' }))
      .data;
    const byName = similar.find((c) => c.name.trim().toLowerCase() === name.toLowerCase());
    if (byName) return { match: 'name', company: companySummary(byName) };
  }
  return { match: 'new', company: null };
}

/** The chosen contact, else the one with the lead's email, else a new one from the lead's person. */
export async function findContact(
  ctx: Ctx,
  lead: LeadRow,
  choice: ConversionChoice,
): Promise<ContactMatch> {
  if (choice.contactId) {
    const id = choice.contactId;
    const contact = await visible(() => getContact(ctx, id), 'contactId', 'contact');
    return { match: 'chosen', contact: contactSummary(contact) };
  }
  if (!choice.newContact && lead.email) {
    const filter = { 'filter[email]': lead.email.toLowerCase(), limit: '1' };
    const [byEmail] = (await listContacts(ctx, filter)).data;
    if (byEmail) return { match: 'email', contact: contactSummary(byEmail) };
  }
  if (!(lead.first_name || lead.last_name || lead.email)) return { match: 'none', contact: null };
  return { match: 'new', contact: null };
}

/** The 422 for a lead that would need a new contact but names no one to make it from. */
export const leadNamesNoPerson = () =>
  new DomainError(
    'rule_violated',
    'SALES_LEAD_NO_PERSON',
    'This lead names no person (no name or email) to become a contact; add one, or convert into an existing contact with contactId',
    { details: [{ path: 'contactId', message: 'is required when the lead names no person' }] },
  );

/** The name a conversion's deal gets when the user gives none: "Acme deal". */
export const defaultDealName = (lead: LeadRow) =>
  `${leadCompanyName(lead) ?? presentLead(lead).name} deal`;

const CANDIDATES = 5;

/** Up to five other contacts the user may mean: the same name, typo-tolerant (the list's `q=`). */
export async function contactCandidates(
  ctx: Ctx,
  lead: LeadRow,
  excludeId: string | null,
): Promise<ContactSummary[]> {
  const q = leadPersonName(lead) || lead.email?.trim();
  if (!q) return [];
  const hits = (await listContacts(ctx, { q, limit: String(CANDIDATES + 1) })).data;
  return hits
    .filter((c) => c.id !== excludeId)
    .slice(0, CANDIDATES)
    .map(contactSummary);
}

/** Up to five other companies the user may mean: by the lead's company name, else the domain. */
export async function companyCandidates(
  ctx: Ctx,
  lead: LeadRow,
  excludeId: string | null,
): Promise<CompanySummary[]> {
  const q = leadCompanyName(lead) ?? leadDomain(lead);
  if (!q) return [];
  const hits = (await listCompanies(ctx, { q, limit: String(CANDIDATES + 1) })).data;
  return hits
    .filter((c) => c.id !== excludeId)
    .slice(0, CANDIDATES)
    .map(companySummary);
}
