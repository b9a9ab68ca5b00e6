-- Typeahead at a million records: full-text prefix search over a word index, with typos fixed
-- against a small per-organization vocabulary instead of trigram-scanning every record.

-- The searchable document of a record: lower-cased words split on anything but letters and
-- digits, so "o'brien", "jane.doe@acme.com" and "+1 555" all become plain words. The query side
-- splits the same way (cerebro_search_words), so what is typed always meets what is indexed.
CREATE FUNCTION cerebro_search_words(VARIADIC parts text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(array_remove(regexp_split_to_array(regexp_replace(lower(array_to_string(parts, ' ')), '[^[:alnum:]]+', ' ', 'g'), ' '), ''), '{}') $$;

CREATE FUNCTION cerebro_search_vector(VARIADIC parts text[]) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT array_to_tsvector(public.cerebro_search_words(VARIADIC parts)) $$;

CREATE INDEX contacts_fts ON contacts USING gin (cerebro_search_vector(coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, ''), coalesce(phone, '')));
CREATE INDEX companies_fts ON companies USING gin (cerebro_search_vector(name, coalesce(domain, '')));

-- The trigram indexes served the old search; every write paid for them (the GiST one most).
DROP INDEX contacts_search_knn;
DROP INDEX companies_search_knn;
DROP INDEX contacts_search;
DROP INDEX companies_search;

-- Names seen in the organization, the dictionary typos are corrected against ("jonh" → "john").
-- Only names: e-mail local parts are unique per person and would bloat it for no gain.
CREATE TABLE search_words (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  word text COLLATE "C" NOT NULL,
  PRIMARY KEY (organization_id, word)
);
SELECT cerebro_tenant_rls('search_words');

-- Statement-level, so an import of 500 rows adds its new words in one insert.
CREATE FUNCTION cerebro_collect_contact_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (organization_id, word)
  SELECT DISTINCT n.organization_id, w
  FROM new_rows n, unnest(cerebro_search_words(coalesce(n.first_name, ''), coalesce(n.last_name, ''))) w
  WHERE length(w) >= 3 AND n.erased_at IS NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION cerebro_collect_company_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (organization_id, word)
  SELECT DISTINCT n.organization_id, w
  FROM new_rows n, unnest(cerebro_search_words(n.name)) w
  WHERE length(w) >= 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER contacts_words_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cerebro_collect_contact_words();
CREATE TRIGGER contacts_words_update AFTER UPDATE ON contacts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cerebro_collect_contact_words();
CREATE TRIGGER companies_words_insert AFTER INSERT ON companies REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cerebro_collect_company_words();
CREATE TRIGGER companies_words_update AFTER UPDATE ON companies REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cerebro_collect_company_words();

INSERT INTO search_words (organization_id, word)
SELECT DISTINCT organization_id, w FROM contacts, unnest(cerebro_search_words(coalesce(first_name, ''), coalesce(last_name, ''))) w
WHERE length(w) >= 3 AND erased_at IS NULL
UNION
SELECT DISTINCT organization_id, w FROM companies, unnest(cerebro_search_words(name)) w
WHERE length(w) >= 3
ON CONFLICT DO NOTHING;
