-- Word-index matches under row level security. The tsquery match operator (@@) is not
-- leakproof, so for the application role — where every table has a security-barrier policy —
-- PostgreSQL may not use a GIN index for it and filters every row of the tenant instead
-- (seconds at a million contacts). These functions run as the owner, whom the policies do not
-- bind, and read only the caller's organization: cerebro_org(), the very setting the policies use.
CREATE FUNCTION cerebro_words_contacts(q tsquery, lim integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM contacts
  WHERE organization_id = cerebro_org() AND deleted_at IS NULL AND merged_into IS NULL
    AND cerebro_search_vector(coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, ''), coalesce(phone, '')) @@ q
  LIMIT lim $$;

CREATE FUNCTION cerebro_words_companies(q tsquery, lim integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM companies
  WHERE organization_id = cerebro_org() AND deleted_at IS NULL AND merged_into IS NULL
    AND cerebro_search_vector(name, coalesce(domain, '')) @@ q
  LIMIT lim $$;

CREATE FUNCTION cerebro_words_deals(q tsquery, lim integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM deals
  WHERE organization_id = cerebro_org() AND deleted_at IS NULL AND cerebro_search_vector(name) @@ q
  LIMIT lim $$;

CREATE FUNCTION cerebro_words_leads(q tsquery, lim integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM leads
  WHERE organization_id = cerebro_org() AND deleted_at IS NULL
    AND cerebro_search_vector(coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, ''), coalesce(company_name, ''), coalesce(phone, '')) @@ q
  LIMIT lim $$;

REVOKE ALL ON FUNCTION cerebro_words_contacts(tsquery, integer), cerebro_words_companies(tsquery, integer),
  cerebro_words_deals(tsquery, integer), cerebro_words_leads(tsquery, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cerebro_words_contacts(tsquery, integer), cerebro_words_companies(tsquery, integer),
  cerebro_words_deals(tsquery, integer), cerebro_words_leads(tsquery, integer) TO cerebro_app;

-- The same holds for the name-prefix phase of typeahead: lower() is not leakproof either, so the
-- name indexes of migration 0010 are read through these, as the owner, within cerebro_org().
-- `second` narrows the other name column by prefix (NULL: any); `last_first` walks the
-- (last, first) index instead of (first, last).
CREATE FUNCTION cerebro_names_contacts(first text, second text, last_first boolean, lim integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  a text := CASE WHEN last_first THEN 'lower(last_name) COLLATE "C"' ELSE 'lower(first_name) COLLATE "C"' END;
  b text := CASE WHEN last_first THEN 'lower(first_name) COLLATE "C"' ELSE 'lower(last_name) COLLATE "C"' END;
BEGIN
  -- EXECUTE plans with the actual prefixes, so the planner sees the ranges and the index order.
  RETURN QUERY EXECUTE format(
    'SELECT id FROM contacts WHERE organization_id = cerebro_org() AND deleted_at IS NULL AND merged_into IS NULL
       AND %1$s >= %3$L AND %1$s < %4$L %5$s ORDER BY %1$s, %2$s LIMIT %6$s',
    a, b, first, first || U&'\+10FFFF',
    CASE WHEN second IS NULL THEN '' ELSE format('AND %s >= %L AND %s < %L', b, second, b, second || U&'\+10FFFF') END,
    lim);
END $$;
REVOKE ALL ON FUNCTION cerebro_names_contacts(text, text, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cerebro_names_contacts(text, text, boolean, integer) TO cerebro_app;
