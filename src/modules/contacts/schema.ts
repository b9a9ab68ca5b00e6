import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/index.js';

type Version = ColumnType<number, number | undefined, number>;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A jsonb column with a database default. */
type DefaultedJson<T> = ColumnType<T, T | string | undefined, T | string>;

/** An email address of a contact. */
export interface EmailEntry {
  email: string;
  primary: boolean;
  label?: string;
}
/** A phone number of a contact, normalized to E.164. */
export interface PhoneEntry {
  number: string;
  primary: boolean;
  label?: string;
}
/** A postal address. */
export interface Address {
  street?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}
/** Whether, when and how a contact agreed (or declined) to receive email. */
export interface EmailConsent {
  status: 'opted_in' | 'opted_out' | 'unknown';
  at?: string;
  method?: string;
}

export interface CompanyTable {
  organization_id: string;
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  annual_revenue: number | null;
  currency: string | null;
  website: string | null;
  phone: string | null;
  address: Json<Address | null>;
  owner_id: string | null;
  parent_id: string | null;
  custom_fields: DefaultedJson<Record<string, unknown>>;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
  merged_into: string | null;
}

export interface ContactTable {
  organization_id: string;
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  emails: DefaultedJson<EmailEntry[]>;
  phone: string | null;
  phones: DefaultedJson<PhoneEntry[]>;
  title: string | null;
  company_id: string | null;
  owner_id: string | null;
  status: Defaulted<'LEAD' | 'PROSPECT' | 'CUSTOMER' | 'INACTIVE'>;
  source: string | null;
  tags: Defaulted<string[]>;
  address: Json<Address | null>;
  social_profiles: DefaultedJson<Record<string, string>>;
  email_consent: DefaultedJson<EmailConsent>;
  lead_score: number | null;
  last_contacted_at: Timestamp | null;
  custom_fields: DefaultedJson<Record<string, unknown>>;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
  merged_into: string | null;
  erased_at: Timestamp | null;
}

/** The tables of the contacts module, for `tx.withTables<ContactsTables>()`. */
export type ContactsTables = {
  companies: CompanyTable;
  contacts: ContactTable;
};
