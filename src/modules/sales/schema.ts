import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../../platform/db/index.js';
import type { LeadTables } from './lead-schema.js';

export * from './lead-schema.js';

type Version = ColumnType<number, number | undefined, number>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type DefaultedJson<T> = ColumnType<T, T | string | undefined, T | string>;
/** A numeric column: the driver returns a string, we write numbers. */
type Numeric = ColumnType<string, number | string, number | string>;

export type StageKind = 'open' | 'won' | 'lost';

export interface PipelineTable {
  organization_id: string;
  id: string;
  name: string;
  is_default: Defaulted<boolean>;
  position: Defaulted<number>;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
}

export interface PipelineStageTable {
  organization_id: string;
  id: string;
  pipeline_id: string;
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
  rotting_days: number | null;
  required_fields: Defaulted<string[]>;
  deleted_at: Timestamp | null;
}

export interface ProductTable {
  organization_id: string;
  id: string;
  name: string;
  sku: string | null;
  unit_price: ColumnType<string, number, number>;
  currency: string;
  active: Defaulted<boolean>;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
}

export interface PriceListTable {
  organization_id: string;
  id: string;
  name: string;
  currency: string;
  is_default: Defaulted<boolean>;
  active: Defaulted<boolean>;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
}

export interface PriceListEntryTable {
  organization_id: string;
  price_list_id: string;
  product_id: string;
  unit_price: ColumnType<string, number, number>;
}

export interface DealTable {
  organization_id: string;
  id: string;
  name: string;
  amount: ColumnType<string, number | undefined, number>;
  currency: string;
  pipeline_id: string;
  stage_id: string;
  probability: number | null;
  expected_close_date: ColumnType<Date | null, string | null | undefined, string | null>;
  owner_id: string | null;
  contact_id: string | null;
  company_id: string | null;
  lead_id: string | null;
  lost_reason: string | null;
  closed_at: Timestamp | null;
  stage_entered_at: GeneratedTimestamp;
  tags: Defaulted<string[]>;
  custom_fields: DefaultedJson<Record<string, unknown>>;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
}

export interface DealContactTable {
  organization_id: string;
  deal_id: string;
  contact_id: string;
  role: string | null;
}

export interface DealLineItemTable {
  organization_id: string;
  id: string;
  deal_id: string;
  product_id: string | null;
  name: string;
  quantity: Numeric;
  unit_price: ColumnType<string, number, number>;
  discount_percent: Numeric;
  total: ColumnType<string, number, number>;
  position: number;
}

export interface DealStageHistoryTable {
  organization_id: string;
  id: string;
  deal_id: string;
  pipeline_id: string;
  stage_id: string;
  from_stage_id: string | null;
  entered_at: Timestamp;
  left_at: Timestamp | null;
  amount: ColumnType<string, number, number>;
  currency: string;
  owner_id: string | null;
  changed_by: string | null;
}

export interface ExchangeRateTable {
  organization_id: string;
  currency: string;
  rate: Numeric;
  updated_at: GeneratedTimestamp;
}

export interface QuotaTable {
  organization_id: string;
  id: string;
  user_id: string | null;
  team_id: string | null;
  period: 'month' | 'quarter';
  period_start: ColumnType<Date, string, string>;
  amount: ColumnType<string, number, number>;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ForecastSnapshotTable {
  organization_id: string;
  period: string;
  period_start: ColumnType<Date, string, string>;
  owner_id: string;
  taken_on: ColumnType<Date, string, string>;
  closed_won: ColumnType<string, number, number>;
  commit_amount: ColumnType<string, number, number>;
  best_case: ColumnType<string, number, number>;
  weighted: ColumnType<string, number, number>;
}

/** The tables of the sales module, for `tx.withTables<SalesTables>()`. */
export type SalesTables = LeadTables & {
  pipelines: PipelineTable;
  pipeline_stages: PipelineStageTable;
  products: ProductTable;
  price_lists: PriceListTable;
  price_list_entries: PriceListEntryTable;
  deals: DealTable;
  deal_contacts: DealContactTable;
  deal_line_items: DealLineItemTable;
  deal_stage_history: DealStageHistoryTable;
  exchange_rates: ExchangeRateTable;
  quotas: QuotaTable;
  forecast_snapshots: ForecastSnapshotTable;
};
