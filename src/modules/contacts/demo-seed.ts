import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../platform/context/index.js';
import { withTenant } from '../../platform/db/index.js';
import { insertSeedActivities, type SeedActivity } from '../records/index.js';
import type { ContactsTables } from './schema.js';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Tim',
  'Radia',
  'Donald',
  'Hedy',
  'Edsger',
  'Sophie',
  'Vint',
  'Anita',
  'John',
  'Shafi',
  'Niklaus',
  'Lynn',
  'Bjarne',
  'Karen',
  'James',
  'Mary',
  'Guido',
  'Jean',
  'Claude',
  'Evelyn',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Berners-Lee',
  'Perlman',
  'Knuth',
  'Lamarr',
  'Dijkstra',
  'Wilson',
  'Cerf',
  'Borg',
  'Backus',
  'Goldwasser',
  'Wirth',
  'Conway',
  'Stroustrup',
  'Jones',
  'Gosling',
  'Shaw',
  'Rossum',
  'Bartik',
  'Shannon',
  'Boyd',
];
const COMPANY_A = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Hooli',
  'Pied Piper',
  'Vandelay',
  'Gringotts',
  'Aperture',
  'Black Mesa',
  'Oscorp',
  'Massive Dynamic',
  'Dunder Mifflin',
  'Prestige',
];
const COMPANY_B = ['Industries', 'Labs', 'Systems', 'Logistics', 'Analytics', 'Health'];
const INDUSTRIES = [
  'Software',
  'Manufacturing',
  'Retail',
  'Healthcare',
  'Logistics',
  'Finance',
  'Energy',
  'Education',
];
const TITLES = [
  'CEO',
  'CTO',
  'VP Sales',
  'Head of Operations',
  'Procurement Manager',
  'Engineer',
  'Marketing Lead',
  'Office Manager',
  'CFO',
  'Product Manager',
];
const SOURCES = ['website', 'referral', 'event', 'cold outreach', 'partner', 'import'];
const STATUSES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE'] as const;
const SUBJECTS: Record<'call' | 'email' | 'meeting' | 'note' | 'task', string[]> = {
  call: ['Discovery call', 'Follow-up call', 'Pricing discussion'],
  email: ['Sent proposal', 'Shared case study', 'Answered security questions'],
  meeting: ['Product demo', 'Quarterly review', 'On-site workshop'],
  note: ['Prefers email over phone', 'Budget approved for Q3', 'Evaluating two competitors'],
  task: ['Send contract', 'Prepare renewal quote', 'Schedule onboarding'],
};

/** A small deterministic generator: the same demo on every fresh start. */
function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/**
 * Fills a new demo organization with realistic companies, contacts and a history of activities,
 * so lists, search and timelines are alive on the first start.
 */
export async function seedDemoRecords(
  deps: Deps,
  organizationId: string,
  ownerId: string,
  counts = { companies: 40, contacts: 300 },
): Promise<void> {
  const rnd = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const now = Date.now();
  await withTenant(deps.database.db, organizationId, async (tx) => {
    const db = tx.withTables<ContactsTables>();
    const companies = Array.from({ length: counts.companies }, (_, i) => {
      const name = `${COMPANY_A[i % COMPANY_A.length] ?? 'Acme'} ${COMPANY_B[Math.floor(i / COMPANY_A.length) % COMPANY_B.length] ?? 'Labs'}`;
      return {
        organization_id: organizationId,
        id: uuidv7(),
        name,
        domain: `${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
        industry: pick(INDUSTRIES),
        size: pick(['1-10', '11-50', '51-200', '201-1000', '1000+']),
        owner_id: ownerId,
        created_at: new Date(now - Math.floor(rnd() * 300) * 86_400_000),
      };
    });
    await db.insertInto('companies').values(companies).execute();
    const contacts = Array.from({ length: counts.contacts }, (_, i) => {
      const first = pick(FIRST);
      const last = pick(LAST);
      const company = pick(companies);
      const email = `${first}.${last}${i}@${company.domain}`
        .toLowerCase()
        .replace(/[^a-z0-9.@-]/g, '');
      const phone = `+1415555${String(1000 + i).slice(-4)}`;
      return {
        organization_id: organizationId,
        id: uuidv7(),
        first_name: first,
        last_name: last,
        email,
        emails: JSON.stringify([{ email, primary: true }]),
        phone,
        phones: JSON.stringify([{ number: phone, primary: true }]),
        title: pick(TITLES),
        company_id: company.id,
        owner_id: ownerId,
        status: pick(STATUSES),
        source: pick(SOURCES),
        tags: rnd() < 0.2 ? ['vip'] : [],
        created_at: new Date(now - Math.floor(rnd() * 365) * 86_400_000),
      };
    });
    for (let i = 0; i < contacts.length; i += 100)
      await db
        .insertInto('contacts')
        .values(contacts.slice(i, i + 100))
        .execute();
    const types = ['call', 'email', 'meeting', 'note', 'task'] as const;
    const activities = contacts.flatMap((c) =>
      Array.from({ length: 1 + Math.floor(rnd() * 3) }, (): SeedActivity => {
        const type = pick(types);
        const at = new Date(now - Math.floor(rnd() * 120) * 86_400_000);
        return {
          activity: {
            organization_id: organizationId,
            id: uuidv7(),
            type,
            subject: pick(SUBJECTS[type]),
            status: type === 'task' && rnd() < 0.6 ? 'open' : 'done',
            due_at: type === 'task' ? new Date(now + Math.floor(rnd() * 20) * 86_400_000) : null,
            done_at: type === 'task' ? null : at,
            owner_id: ownerId,
            assignee_id: ownerId,
            created_at: at,
          },
          links: [
            { objectType: 'contact', recordId: c.id },
            { objectType: 'company', recordId: c.company_id },
          ],
        };
      }),
    );
    await insertSeedActivities(deps, tx, organizationId, activities);
  });
}
