-- Sales, the leads half: leads, the public web forms that capture them, and the ordered rules
-- that assign them to people.

CREATE TABLE web_forms (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  -- [{ name, label, leadField, required }]: which posted field fills which lead field.
  fields jsonb NOT NULL DEFAULT '[]',
  default_source text,
  default_owner_id uuid,
  default_team_id uuid,
  redirect_url text,
  -- A field people never see; a bot that fills it is answered as if all went well.
  honeypot_field text NOT NULL DEFAULT 'homepage',
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, default_owner_id) REFERENCES users (organization_id, id) ON DELETE SET NULL (default_owner_id),
  FOREIGN KEY (organization_id, default_team_id) REFERENCES teams (organization_id, id) ON DELETE SET NULL (default_team_id)
);
-- The public submit URL names only the form: its id alone finds the organization.
CREATE UNIQUE INDEX web_forms_id ON web_forms (id);
SELECT cerebro_tenant_rls('web_forms');

CREATE TABLE lead_assignment_rules (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  -- [{ field, op: equals|in, value }], all of which must hold; [] matches every lead.
  conditions jsonb NOT NULL DEFAULT '[]',
  strategy text NOT NULL CHECK (strategy IN ('user', 'round_robin', 'least_loaded')),
  user_id uuid,
  team_id uuid,
  reminder_minutes integer CHECK (reminder_minutes BETWEEN 1 AND 10080),
  -- Round robin remembers whom it picked last; the row is locked while the next one is chosen.
  last_assigned_user_id uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id) ON DELETE SET NULL (user_id),
  FOREIGN KEY (organization_id, team_id) REFERENCES teams (organization_id, id) ON DELETE SET NULL (team_id)
);
CREATE INDEX lead_assignment_rules_order ON lead_assignment_rules (organization_id, position, created_at);
SELECT cerebro_tenant_rls('lead_assignment_rules');

CREATE TABLE leads (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  first_name text,
  last_name text,
  email text,
  phone text,
  company_name text,
  title text,
  country text,
  company_size text,
  notes text,
  source text,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'working', 'qualified', 'disqualified', 'converted')),
  disqualification_reason text,
  owner_id uuid,
  team_id uuid,
  score integer,
  tags text[] NOT NULL DEFAULT '{}',
  custom_fields jsonb NOT NULL DEFAULT '{}',
  form_id uuid,
  assignment_rule_id uuid,
  unassigned_remind_at timestamptz,
  unassigned_reminded_at timestamptz,
  converted_at timestamptz,
  converted_contact_id uuid,
  converted_company_id uuid,
  -- Deals live in another part of the module (and migration); no foreign key from here.
  converted_deal_id uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id),
  CHECK (status <> 'disqualified' OR disqualification_reason IS NOT NULL),
  CHECK ((status = 'converted') = (converted_at IS NOT NULL)),
  FOREIGN KEY (organization_id, owner_id) REFERENCES users (organization_id, id),
  FOREIGN KEY (organization_id, team_id) REFERENCES teams (organization_id, id) ON DELETE SET NULL (team_id),
  FOREIGN KEY (organization_id, form_id) REFERENCES web_forms (organization_id, id) ON DELETE SET NULL (form_id),
  FOREIGN KEY (organization_id, assignment_rule_id) REFERENCES lead_assignment_rules (organization_id, id) ON DELETE SET NULL (assignment_rule_id),
  -- SET NULL so the records trash purge can still delete a converted contact or company.
  FOREIGN KEY (organization_id, converted_contact_id) REFERENCES contacts (organization_id, id) ON DELETE SET NULL (converted_contact_id),
  FOREIGN KEY (organization_id, converted_company_id) REFERENCES companies (organization_id, id) ON DELETE SET NULL (converted_company_id)
);
CREATE INDEX leads_created ON leads (organization_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_owner ON leads (organization_id, owner_id, status) WHERE deleted_at IS NULL;
CREATE INDEX leads_team ON leads (organization_id, team_id);
CREATE INDEX leads_email ON leads (organization_id, email) WHERE deleted_at IS NULL;
CREATE INDEX leads_status ON leads (organization_id, status, created_at) WHERE deleted_at IS NULL;
CREATE INDEX leads_tags ON leads USING gin (tags);
CREATE INDEX leads_custom ON leads USING gin (custom_fields jsonb_path_ops);
-- The same document and function as contacts (0006): `q=` and the search endpoint use it.
CREATE INDEX leads_fts ON leads USING gin (cerebro_search_vector(coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, ''), coalesce(company_name, ''), coalesce(phone, '')));
-- The unassigned-lead reminder sweep reads only leads still waiting for an owner.
CREATE INDEX leads_unassigned ON leads (unassigned_remind_at) WHERE owner_id IS NULL AND unassigned_reminded_at IS NULL AND deleted_at IS NULL;
CREATE INDEX leads_trash ON leads (deleted_at) WHERE deleted_at IS NOT NULL;
SELECT cerebro_tenant_rls('leads');

-- Conversion moves a lead's activities to the contact; this finds them.
CREATE INDEX activities_lead ON activities (organization_id, lead_id) WHERE lead_id IS NOT NULL;

-- Lead names join the vocabulary typos are corrected against, like contact and company names.
CREATE FUNCTION cerebro_collect_lead_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (organization_id, word)
  SELECT DISTINCT n.organization_id, w
  FROM new_rows n, unnest(cerebro_search_words(coalesce(n.first_name, ''), coalesce(n.last_name, ''), coalesce(n.company_name, ''))) w
  WHERE length(w) >= 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER leads_words_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cerebro_collect_lead_words();
CREATE TRIGGER leads_words_update AFTER UPDATE ON leads REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cerebro_collect_lead_words();
