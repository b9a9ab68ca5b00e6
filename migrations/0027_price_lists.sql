-- Price lists (issue 13, item 4): named sets of product prices in one currency, e.g. "EU 2027" or
-- "Partners". A product's own unit_price stays its list price; an entry here overrides it for
-- deals in the list's currency. At most one live default per currency: it is the one deals use.

CREATE TABLE price_lists (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  currency char(3) NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX price_lists_default ON price_lists (organization_id, currency)
  WHERE is_default AND deleted_at IS NULL;
SELECT cerebro_tenant_rls('price_lists');

-- One price per product per list; the entries are replaced as a whole with their list.
CREATE TABLE price_list_entries (
  organization_id uuid NOT NULL,
  price_list_id uuid NOT NULL,
  product_id uuid NOT NULL,
  unit_price bigint NOT NULL CHECK (unit_price >= 0),
  PRIMARY KEY (organization_id, price_list_id, product_id),
  FOREIGN KEY (organization_id, price_list_id) REFERENCES price_lists (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, product_id) REFERENCES products (organization_id, id)
);
-- Deal pricing looks a product up across lists.
CREATE INDEX price_list_entries_product ON price_list_entries (organization_id, product_id);
SELECT cerebro_tenant_rls('price_list_entries');
