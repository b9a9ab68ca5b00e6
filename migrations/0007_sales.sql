-- Sales: pipelines with ordered stages, deals with their stage history, products and line items,
-- exchange rates for reports in the base currency, quotas and forecast snapshots.

CREATE TABLE pipelines (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX pipelines_default ON pipelines (organization_id) WHERE is_default AND deleted_at IS NULL;
SELECT cerebro_tenant_rls('pipelines');

CREATE TABLE pipeline_stages (
  organization_id uuid NOT NULL,
  id uuid NOT NULL,
  pipeline_id uuid NOT NULL,
  name text NOT NULL,
  position integer NOT NULL,
  probability integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
  kind text NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
  rotting_days integer CHECK (rotting_days > 0),
  required_fields text[] NOT NULL DEFAULT '{}',
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, pipeline_id) REFERENCES pipelines (organization_id, id)
);
CREATE INDEX pipeline_stages_pipeline ON pipeline_stages (organization_id, pipeline_id, position);
SELECT cerebro_tenant_rls('pipeline_stages');

CREATE TABLE products (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  sku text,
  unit_price bigint NOT NULL CHECK (unit_price >= 0),
  currency char(3) NOT NULL,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX products_sku ON products (organization_id, lower(sku)) WHERE sku IS NOT NULL AND deleted_at IS NULL;
SELECT cerebro_tenant_rls('products');

CREATE TABLE deals (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  amount bigint NOT NULL DEFAULT 0 CHECK (amount >= 0),
  currency char(3) NOT NULL,
  pipeline_id uuid NOT NULL,
  stage_id uuid NOT NULL,
  -- NULL: the stage's default probability applies.
  probability integer CHECK (probability BETWEEN 0 AND 100),
  expected_close_date date,
  owner_id uuid,
  contact_id uuid,
  company_id uuid,
  lead_id uuid,
  lost_reason text,
  closed_at timestamptz,
  stage_entered_at timestamptz NOT NULL DEFAULT now(),
  tags text[] NOT NULL DEFAULT '{}',
  custom_fields jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, pipeline_id) REFERENCES pipelines (organization_id, id),
  FOREIGN KEY (organization_id, stage_id) REFERENCES pipeline_stages (organization_id, id),
  FOREIGN KEY (organization_id, owner_id) REFERENCES users (organization_id, id),
  -- A contact or company purged from the trash leaves its deals in place, unlinked.
  FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id) ON DELETE SET NULL (contact_id),
  FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id) ON DELETE SET NULL (company_id)
);
CREATE INDEX deals_board ON deals (organization_id, pipeline_id, stage_id, updated_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX deals_created ON deals (organization_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_owner ON deals (organization_id, owner_id, expected_close_date) WHERE deleted_at IS NULL;
CREATE INDEX deals_closed ON deals (organization_id, closed_at) WHERE deleted_at IS NULL AND closed_at IS NOT NULL;
CREATE INDEX deals_contact ON deals (organization_id, contact_id);
CREATE INDEX deals_company ON deals (organization_id, company_id);
CREATE INDEX deals_custom ON deals USING gin (custom_fields jsonb_path_ops);
CREATE INDEX deals_fts ON deals USING gin (cerebro_search_vector(name));
SELECT cerebro_tenant_rls('deals');

CREATE TABLE deal_contacts (
  organization_id uuid NOT NULL,
  deal_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  role text,
  PRIMARY KEY (organization_id, deal_id, contact_id),
  FOREIGN KEY (organization_id, deal_id) REFERENCES deals (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id) ON DELETE CASCADE
);
SELECT cerebro_tenant_rls('deal_contacts');

CREATE TABLE deal_line_items (
  organization_id uuid NOT NULL,
  id uuid NOT NULL,
  deal_id uuid NOT NULL,
  product_id uuid,
  name text NOT NULL,
  quantity numeric(14, 4) NOT NULL CHECK (quantity > 0),
  unit_price bigint NOT NULL CHECK (unit_price >= 0),
  discount_percent numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
  total bigint NOT NULL,
  position integer NOT NULL,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, deal_id) REFERENCES deals (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, product_id) REFERENCES products (organization_id, id)
);
CREATE INDEX deal_line_items_deal ON deal_line_items (organization_id, deal_id, position);
SELECT cerebro_tenant_rls('deal_line_items');

-- One row per stay of a deal in a stage: time in stage, velocity and win rates come from here.
CREATE TABLE deal_stage_history (
  organization_id uuid NOT NULL,
  id uuid NOT NULL,
  deal_id uuid NOT NULL,
  pipeline_id uuid NOT NULL,
  stage_id uuid NOT NULL,
  from_stage_id uuid,
  entered_at timestamptz NOT NULL,
  left_at timestamptz,
  amount bigint NOT NULL,
  currency char(3) NOT NULL,
  owner_id uuid,
  changed_by uuid,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, deal_id) REFERENCES deals (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history (organization_id, deal_id, entered_at);
CREATE INDEX deal_stage_history_stage ON deal_stage_history (organization_id, stage_id);
SELECT cerebro_tenant_rls('deal_stage_history');

-- How many units of the organization's base currency one unit of `currency` is worth.
CREATE TABLE exchange_rates (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  currency char(3) NOT NULL,
  rate numeric(20, 10) NOT NULL CHECK (rate > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, currency)
);
SELECT cerebro_tenant_rls('exchange_rates');

CREATE TABLE quotas (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  user_id uuid,
  team_id uuid,
  period text NOT NULL CHECK (period IN ('month', 'quarter')),
  period_start date NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  CHECK ((user_id IS NULL) <> (team_id IS NULL)),
  FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id)
);
CREATE UNIQUE INDEX quotas_target ON quotas (organization_id, period, period_start, coalesce(user_id, team_id));
SELECT cerebro_tenant_rls('quotas');

-- The forecast as it stood on a day, per owner: compared with what closed once the period ends.
CREATE TABLE forecast_snapshots (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  period text NOT NULL,
  period_start date NOT NULL,
  owner_id uuid NOT NULL,
  taken_on date NOT NULL,
  closed_won bigint NOT NULL,
  commit_amount bigint NOT NULL,
  best_case bigint NOT NULL,
  weighted bigint NOT NULL,
  PRIMARY KEY (organization_id, period, period_start, owner_id, taken_on)
);
SELECT cerebro_tenant_rls('forecast_snapshots');

-- Organizations created before sales existed get the default pipeline new ones are born with.
WITH p AS (
  INSERT INTO pipelines (organization_id, id, name, is_default)
  SELECT id, gen_random_uuid(), 'Sales', true FROM organizations
  RETURNING organization_id, id
)
INSERT INTO pipeline_stages (organization_id, id, pipeline_id, name, position, probability, kind, rotting_days, required_fields)
SELECT p.organization_id, gen_random_uuid(), p.id, s.name, s.position, s.probability, s.kind, s.rotting_days, s.required_fields
FROM p, (VALUES
  ('Qualification', 0, 10, 'open', 14, '{}'::text[]),
  ('Discovery', 1, 25, 'open', 14, '{}'::text[]),
  ('Proposal', 2, 50, 'open', 21, '{amount,expectedCloseDate}'::text[]),
  ('Negotiation', 3, 75, 'open', 21, '{amount,expectedCloseDate}'::text[]),
  ('Closed won', 4, 100, 'won', NULL, '{}'::text[]),
  ('Closed lost', 5, 0, 'lost', NULL, '{}'::text[])
) AS s (name, position, probability, kind, rotting_days, required_fields);

-- What a contact or company merge moved on the sales side, so undoing the merge moves it back.
CREATE TABLE deal_merge_moves (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  merge_id uuid NOT NULL,
  deal_id uuid NOT NULL,
  link text NOT NULL CHECK (link IN ('contact', 'company', 'deal_contact', 'deal_contact_added')),
  from_id uuid NOT NULL,
  role text,
  PRIMARY KEY (organization_id, merge_id, deal_id, link, from_id)
);
SELECT cerebro_tenant_rls('deal_merge_moves');
