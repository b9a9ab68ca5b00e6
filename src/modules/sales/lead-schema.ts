import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../../platform/db/index.js';

type Version = ColumnType<number, number | undefined, number>;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A jsonb column with a database default. */
type DefaultedJson<T> = ColumnType<T, T | string | undefined, T | string>;

export const LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** Statuses of leads someone still works on: what "load" counts for least-loaded assignment. */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['new', 'working', 'qualified'];

export interface LeadTable {
  organization_id: string;
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company_name: string | null;
  title: string | null;
  country: string | null;
  company_size: string | null;
  notes: string | null;
  source: string | null;
  status: Defaulted<LeadStatus>;
  disqualification_reason: string | null;
  owner_id: string | null;
  team_id: string | null;
  score: number | null;
  tags: Defaulted<string[]>;
  custom_fields: DefaultedJson<Record<string, unknown>>;
  form_id: string | null;
  assignment_rule_id: string | null;
  unassigned_remind_at: Timestamp | null;
  /** The job that sends the reminder for this wait (migrations/0025); null until it is due. */
  unassigned_reminder_job_id: string | null;
  unassigned_reminded_at: Timestamp | null;
  converted_at: Timestamp | null;
  converted_contact_id: string | null;
  converted_company_id: string | null;
  converted_deal_id: string | null;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
}

/** One posted field of a web form and the lead field it fills. */
export interface FormField {
  /** The name the HTML form posts it under. */
  name: string;
  label: string;
  /** A lead field (`email`, `companyName`, …) or a custom field as `custom.key`. */
  leadField: string;
  required: boolean;
}

export interface WebFormTable {
  organization_id: string;
  id: string;
  name: string;
  fields: DefaultedJson<FormField[]>;
  default_source: string | null;
  default_owner_id: string | null;
  default_team_id: string | null;
  redirect_url: string | null;
  honeypot_field: Defaulted<string>;
  active: Defaulted<boolean>;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export const CONDITION_FIELDS = [
  'source',
  'country',
  'companySize',
  'title',
  'companyName',
  'emailDomain',
  'tags',
] as const;

/** One test a rule makes on a new lead; `custom.key` reads a custom field. */
export interface RuleCondition {
  field: string;
  op: 'equals' | 'in';
  value: string | string[];
}

export const ASSIGNMENT_STRATEGIES = ['user', 'round_robin', 'least_loaded'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export interface AssignmentRuleTable {
  organization_id: string;
  id: string;
  name: string;
  position: Defaulted<number>;
  active: Defaulted<boolean>;
  conditions: DefaultedJson<RuleCondition[]>;
  strategy: AssignmentStrategy;
  user_id: string | null;
  team_id: string | null;
  reminder_minutes: number | null;
  last_assigned_user_id: string | null;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/**
 * The lead tables of the sales module. Users, teams and their members are identity's and only
 * read here (to check references and to pick assignees), the way records reads `users`;
 * identity exports no service for team rosters.
 */
export type LeadTables = {
  leads: LeadTable;
  web_forms: WebFormTable;
  lead_assignment_rules: AssignmentRuleTable;
  users: { organization_id: string; id: string; name: string; email: string; status: string };
  teams: { organization_id: string; id: string; name: string };
  team_members: { organization_id: string; team_id: string; user_id: string; is_manager: boolean };
};
