import { v7 as uuidv7 } from 'uuid';
import { createCtx, systemActor, type Deps } from '../../platform/context/index.js';
import { withTenant } from '../../platform/db/index.js';
import { convertLead } from './conversion.js';
import type { FormField, LeadStatus, RuleCondition, SalesTables } from './schema.js';

const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Mateo',
  'Sofia',
  'Lucas',
  'Mia',
  'Arjun',
  'Chloe',
  'Kenji',
  'Amara',
  'Felix',
  'Priya',
  'Jonas',
  'Leila',
  'Omar',
  'Hannah',
  'Diego',
];
const LAST = [
  'Nguyen',
  'Schmidt',
  'Garcia',
  'Okafor',
  'Rossi',
  'Kowalski',
  'Tanaka',
  'Dubois',
  'Haddad',
  'Larsen',
  'Silva',
  'Patel',
  'Müller',
  'Cohen',
  'Andersson',
];
const COMPANIES = [
  'Northwind Traders',
  'Contoso',
  'Fabrikam',
  'Blue Yonder Airlines',
  'Tailspin Toys',
  'Wide World Importers',
  'Litware',
  'Adventure Works',
  'Proseware',
  'Lucerne Publishing',
  "Margie's Travel",
  'Coho Winery',
  'Alpine Ski House',
  'Woodgrove Bank',
  'Trey Research',
];
const TITLES = [
  'Head of Sales',
  'Operations Manager',
  'CTO',
  'Founder',
  'Procurement Lead',
  'IT Director',
  'Marketing Manager',
  'COO',
];
const SOURCES = ['website form', 'webinar', 'trade show', 'referral', 'linkedin', 'cold outreach'];
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'ES', 'IN', 'JP', 'BR'];
const SIZES = ['1-10', '11-50', '51-200', '201-1000', '1000+'];
const REASONS = [
  'No budget this year',
  'Chose a competitor',
  'Not the decision maker',
  'Student project',
];
/** 40 leads across every status: most still being worked, some won over, some let go. */
const STATUS_PLAN: ReadonlyArray<[LeadStatus, number]> = [
  ['new', 12],
  ['working', 10],
  ['qualified', 8],
  ['disqualified', 5],
  ['converted', 5],
];

/** A small deterministic generator: the same demo on every fresh start. */
function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

const FORM_FIELDS: FormField[] = [
  { name: 'first_name', label: 'First name', leadField: 'firstName', required: true },
  { name: 'last_name', label: 'Last name', leadField: 'lastName', required: false },
  { name: 'email', label: 'Work email', leadField: 'email', required: true },
  { name: 'company', label: 'Company', leadField: 'companyName', required: false },
  { name: 'phone', label: 'Phone', leadField: 'phone', required: false },
  { name: 'message', label: 'How can we help?', leadField: 'notes', required: false },
];

/**
 * Fills a demo organization with about 40 leads in every status (a few converted into contacts
 * and companies), a "Contact us" web form and two assignment rules. With a team, the catch-all
 * rule rotates leads through it; otherwise both rules give leads to `ownerId`.
 */
export async function seedDemoLeads(
  deps: Deps,
  organizationId: string,
  ownerId: string,
  options: { teamId?: string } = {},
): Promise<{ formId: string; leadIds: string[] }> {
  const rnd = random(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const now = deps.clock.now().getTime();
  const formId = uuidv7();
  const planned = STATUS_PLAN.flatMap(([status, count]) =>
    Array.from({ length: count }, () => status),
  );
  const leads = planned.map((status, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const company = pick(COMPANIES);
    const domain = `${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`;
    return {
      organization_id: organizationId,
      id: uuidv7(),
      first_name: first,
      last_name: last,
      email: `${first}.${last}${i}@${domain}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z0-9.@-]/g, ''),
      phone: `+1415555${String(2000 + i).slice(-4)}`,
      company_name: company,
      title: pick(TITLES),
      country: pick(COUNTRIES),
      company_size: pick(SIZES),
      source: i % 4 === 0 ? 'website form' : pick(SOURCES),
      status: status === 'converted' ? ('qualified' as const) : status,
      disqualification_reason: status === 'disqualified' ? pick(REASONS) : null,
      owner_id: ownerId,
      team_id: options.teamId ?? null,
      form_id: i % 4 === 0 ? formId : null,
      tags: rnd() < 0.25 ? ['hot'] : [],
      created_at: new Date(now - Math.floor(rnd() * 60 * 24) * 3_600_000),
    };
  });
  await withTenant(deps.database.db, organizationId, async (tx) => {
    const db = tx.withTables<SalesTables>();
    await db
      .insertInto('web_forms')
      .values({
        organization_id: organizationId,
        id: formId,
        name: 'Contact us',
        fields: JSON.stringify(FORM_FIELDS),
        default_source: 'website form',
        default_team_id: options.teamId ?? null,
        redirect_url: null,
      })
      .execute();
    const large: RuleCondition[] = [
      { field: 'companySize', op: 'in', value: ['201-1000', '1000+'] },
    ];
    await db
      .insertInto('lead_assignment_rules')
      .values([
        {
          organization_id: organizationId,
          id: uuidv7(),
          name: 'Large companies go to the account executive',
          position: 0,
          conditions: JSON.stringify(large),
          strategy: 'user',
          user_id: ownerId,
        },
        options.teamId
          ? {
              organization_id: organizationId,
              id: uuidv7(),
              name: 'Everyone else: rotate through the team',
              position: 1,
              strategy: 'round_robin',
              team_id: options.teamId,
            }
          : {
              organization_id: organizationId,
              id: uuidv7(),
              name: 'Everyone else',
              position: 1,
              strategy: 'user',
              user_id: ownerId,
            },
      ])
      .execute();
    await db.insertInto('leads').values(leads).execute();
  });
  // Conversions go through the service: real contacts and companies, linked both ways.
  const ctx = createCtx(deps, systemActor(organizationId));
  for (const [i, lead] of leads.entries())
    if (planned[i] === 'converted') await convertLead(ctx, lead.id, {});
  return { formId, leadIds: leads.map((l) => l.id) };
}
