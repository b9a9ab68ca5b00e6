-- Records: companies, contacts, activities, custom field definitions and saved views.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- Lower-cased, unaccented-enough text for trigram search; IMMUTABLE so it can be indexed.
CREATE FUNCTION cerebro_search_text(VARIADIC parts text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT lower(array_to_string(parts, ' ')) $$;

CREATE TABLE companies (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  domain text,
  industry text,
  size text,
  annual_revenue bigint,
  currency char(3),
  website text,
  phone text,
  address jsonb,
  owner_id uuid,
  parent_id uuid,
  custom_fields jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  merged_into uuid,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, owner_id) REFERENCES users (organization_id, id),
  FOREIGN KEY (organization_id, parent_id) REFERENCES companies (organization_id, id)
);
CREATE UNIQUE INDEX companies_domain ON companies (organization_id, domain) WHERE deleted_at IS NULL AND merged_into IS NULL AND domain IS NOT NULL;
CREATE INDEX companies_created ON companies (organization_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_name ON companies (organization_id, lower(name), id) WHERE deleted_at IS NULL;
CREATE INDEX companies_owner ON companies (organization_id, owner_id);
CREATE INDEX companies_search ON companies USING gin (cerebro_search_text(name, coalesce(domain, '')) gin_trgm_ops);
CREATE INDEX companies_search_knn ON companies USING gist (cerebro_search_text(name, coalesce(domain, '')) gist_trgm_ops);
CREATE INDEX companies_custom ON companies USING gin (custom_fields jsonb_path_ops);
SELECT cerebro_tenant_rls('companies');

CREATE TABLE contacts (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  first_name text,
  last_name text,
  email text,
  emails jsonb NOT NULL DEFAULT '[]',
  phone text,
  phones jsonb NOT NULL DEFAULT '[]',
  title text,
  company_id uuid,
  owner_id uuid,
  status text NOT NULL DEFAULT 'LEAD' CHECK (status IN ('LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE')),
  source text,
  tags text[] NOT NULL DEFAULT '{}',
  address jsonb,
  social_profiles jsonb NOT NULL DEFAULT '{}',
  email_consent jsonb NOT NULL DEFAULT '{"status":"unknown"}',
  lead_score integer,
  last_contacted_at timestamptz,
  custom_fields jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  merged_into uuid,
  erased_at timestamptz,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id),
  FOREIGN KEY (organization_id, owner_id) REFERENCES users (organization_id, id)
);
CREATE INDEX contacts_created ON contacts (organization_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_last_name ON contacts (organization_id, coalesce(lower(last_name), ''), id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_email ON contacts (organization_id, email) WHERE deleted_at IS NULL;
CREATE INDEX contacts_phone ON contacts (organization_id, phone) WHERE deleted_at IS NULL;
CREATE INDEX contacts_company ON contacts (organization_id, company_id);
CREATE INDEX contacts_owner ON contacts (organization_id, owner_id, created_at);
CREATE INDEX contacts_tags ON contacts USING gin (tags);
CREATE INDEX contacts_custom ON contacts USING gin (custom_fields jsonb_path_ops);
CREATE INDEX contacts_search ON contacts USING gin (cerebro_search_text(coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, '')) gin_trgm_ops);
-- GiST answers "nearest by trigram distance" (KNN): typeahead ranks a million contacts in a few ms.
CREATE INDEX contacts_search_knn ON contacts USING gist (cerebro_search_text(coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, '')) gist_trgm_ops);
SELECT cerebro_tenant_rls('contacts');

CREATE TABLE activities (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('call', 'email', 'meeting', 'note', 'task')),
  subject text NOT NULL,
  body text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'canceled')),
  due_at timestamptz,
  done_at timestamptz,
  remind_at timestamptz,
  reminded_at timestamptz,
  owner_id uuid,
  assignee_id uuid,
  contact_id uuid,
  company_id uuid,
  deal_id uuid,
  lead_id uuid,
  ticket_id uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id),
  FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id),
  FOREIGN KEY (organization_id, owner_id) REFERENCES users (organization_id, id),
  FOREIGN KEY (organization_id, assignee_id) REFERENCES users (organization_id, id)
);
CREATE INDEX activities_contact ON activities (organization_id, contact_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX activities_company ON activities (organization_id, company_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX activities_created ON activities (organization_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_due ON activities (remind_at) WHERE reminded_at IS NULL AND status = 'open' AND deleted_at IS NULL;
SELECT cerebro_tenant_rls('activities');

CREATE TABLE custom_fields (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  object_type text NOT NULL CHECK (object_type IN ('contact', 'company', 'lead', 'deal', 'ticket')),
  key text NOT NULL CHECK (key ~ '^[a-z][a-zA-Z0-9_]{0,62}$'),
  label text NOT NULL,
  type text NOT NULL,
  options jsonb,
  required boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, object_type, key)
);
SELECT cerebro_tenant_rls('custom_fields');

CREATE TABLE saved_views (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  object_type text NOT NULL,
  name text NOT NULL,
  filters jsonb NOT NULL DEFAULT '{}',
  sort text,
  columns text[] NOT NULL DEFAULT '{}',
  shared boolean NOT NULL DEFAULT false,
  owner_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, owner_id) REFERENCES users (organization_id, id)
);
SELECT cerebro_tenant_rls('saved_views');

-- Merges keep what they changed so they can be undone for 30 days.
CREATE TABLE merges (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  object_type text NOT NULL CHECK (object_type IN ('contact', 'company')),
  survivor_id uuid NOT NULL,
  source_ids uuid[] NOT NULL,
  survivor_before jsonb NOT NULL,
  survivor_after jsonb NOT NULL,
  moved jsonb NOT NULL,
  actor_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  undone_at timestamptz,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX merges_survivor ON merges (organization_id, survivor_id);
SELECT cerebro_tenant_rls('merges');
