"""SQL of the public catalog's index (applied by public/migrations/0001_catalog_index.py).

A change here needs a new migration that runs the changed statements (the first one ran these).

* ``public_catalog_source`` (view): what the row of every public product should be — the one
  definition both the triggers and a full rebuild read from.
* ``public_catalog_sync(ids)``: brings the rows of those products in step with the source
  (insert, update only what differs, delete the rows of products no longer public).
* Statement-level triggers (transition tables: one call per statement, whatever the number of
  rows) on products, units, certificates, certificate↔product links and marketplace links call
  it for the products concerned.
* ``public_catalogcount`` and ``public_unitcount`` are kept by triggers on the rows and on the
  units: +n/−n per (category, desa, certificate set, marketplace) and per desa.
* ``public_catalog_expire()``: the daily re-sync of rows whose certificate expired
  (``certs_until``); ``public_catalog_rebuild()``: everything from scratch (after a bulk load
  with the triggers disabled, e.g. ``generate_bench_data``).
* Indexes: one GIN over (vector, category, kab, kec, certs, marketplace) — ``btree_gin`` lets the
  filters intersect inside the index — and b-trees for each sort order of the catalog.
"""

from django.conf import settings

TODAY = f"(now() AT TIME ZONE '{settings.TIME_ZONE}')::date"

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS btree_gin;

ALTER TABLE public_catalogrow ADD COLUMN vector tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION public_catalog_today() RETURNS date
LANGUAGE sql STABLE AS $$ SELECT {TODAY} $$;

CREATE OR REPLACE VIEW public_catalog_source AS
SELECT p.id AS product_id, p.unit_id, p.search_vector AS vector, p.category,
       u.kabupaten_code AS kab, u.kecamatan_code AS kec, u.desa_id AS desa,
       coalesce(c.certs, '{{}}')::varchar(24)[] AS certs, c.until AS certs_until,
       EXISTS (SELECT 1 FROM products_marketplacelink l WHERE l.product_id = p.id) AS marketplace,
       p.is_selected, p.price, p.created_at, p.updated_at
  FROM products_product p
  JOIN ikm_ikmunit u ON u.id = p.unit_id
  LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT t.v ORDER BY t.v) AS certs, min(x.valid_until) + 1 AS until
      FROM certifications_certification_products cp
      JOIN certifications_certification x ON x.id = cp.certification_id
      CROSS JOIN LATERAL unnest(
        CASE WHEN x.type = 'ovop' AND x.ovop_stars IS NOT NULL
             THEN ARRAY[x.type::text, 'ovop:' || x.ovop_stars] ELSE ARRAY[x.type::text] END
      ) AS t(v)
     WHERE cp.product_id = p.id AND x.revoked_at IS NULL
       AND (x.valid_until IS NULL OR x.valid_until >= public_catalog_today())
  ) c ON TRUE
 WHERE p.is_published AND u.verified;

CREATE OR REPLACE FUNCTION public_catalog_sync(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  DELETE FROM public_catalogrow r
   WHERE r.product_id = ANY(ids)
     AND NOT EXISTS (SELECT 1 FROM products_product p JOIN ikm_ikmunit u ON u.id = p.unit_id
                      WHERE p.id = r.product_id AND p.is_published AND u.verified);
  INSERT INTO public_catalogrow AS r (product_id, unit_id, vector, category, kab, kec, desa,
         certs, certs_until, marketplace, is_selected, price, created_at, updated_at)
  SELECT s.product_id, s.unit_id, s.vector, s.category, s.kab, s.kec, s.desa, s.certs,
         s.certs_until, s.marketplace, s.is_selected, s.price, s.created_at, s.updated_at
    FROM public_catalog_source s
   WHERE s.product_id = ANY(ids)
  ON CONFLICT (product_id) DO UPDATE SET
         unit_id = EXCLUDED.unit_id, vector = EXCLUDED.vector, category = EXCLUDED.category,
         kab = EXCLUDED.kab, kec = EXCLUDED.kec, desa = EXCLUDED.desa, certs = EXCLUDED.certs,
         certs_until = EXCLUDED.certs_until, marketplace = EXCLUDED.marketplace,
         is_selected = EXCLUDED.is_selected, price = EXCLUDED.price,
         created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
   WHERE (r.unit_id, r.vector, r.category, r.desa, r.certs, r.certs_until, r.marketplace,
          r.is_selected, r.price, r.created_at, r.updated_at)
         IS DISTINCT FROM
         (EXCLUDED.unit_id, EXCLUDED.vector, EXCLUDED.category, EXCLUDED.desa, EXCLUDED.certs,
          EXCLUDED.certs_until, EXCLUDED.marketplace, EXCLUDED.is_selected, EXCLUDED.price,
          EXCLUDED.created_at, EXCLUDED.updated_at);
  INSERT INTO public_catalogword (word)
  SELECT DISTINCT w.word FROM public_catalogrow r
    JOIN products_product p ON p.id = r.product_id
    CROSS JOIN LATERAL regexp_split_to_table(f_unaccent(lower(p.name)), '[^[:alnum:]]+') AS w(word)
   WHERE r.product_id = ANY(ids) AND length(w.word) BETWEEN 3 AND 40
  ON CONFLICT DO NOTHING;
END $$;

-- Counts: +n / -n per (category, desa, certificate set, marketplace).
CREATE OR REPLACE FUNCTION public_catalogcount_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE public_catalogcount c SET n = c.n - d.n
      FROM (SELECT category, desa, certs, marketplace, count(*) AS n FROM old_rows
             GROUP BY 1, 2, 3, 4) d
     WHERE c.category = d.category AND c.desa = d.desa AND c.certs = d.certs
       AND c.marketplace = d.marketplace;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO public_catalogcount AS c (category, kab, kec, desa, certs, marketplace, n)
    SELECT category, left(desa, 5), left(desa, 8), desa, certs, marketplace, count(*)
      FROM new_rows GROUP BY category, desa, certs, marketplace
    ON CONFLICT (category, desa, certs, marketplace) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER catalogcount_ins AFTER INSERT ON public_catalogrow
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_catalogcount_apply();
CREATE TRIGGER catalogcount_upd AFTER UPDATE ON public_catalogrow
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalogcount_apply();
CREATE TRIGGER catalogcount_del AFTER DELETE ON public_catalogrow
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public_catalogcount_apply();

-- Products: the rows of the products written.
CREATE OR REPLACE FUNCTION public_catalog_on_product() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM public_catalog_sync(ARRAY(SELECT id FROM old_rows));
  ELSE
    PERFORM public_catalog_sync(ARRAY(SELECT id FROM new_rows));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_product_ins AFTER INSERT ON products_product
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product();
CREATE TRIGGER catalog_product_upd AFTER UPDATE ON products_product
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product();
CREATE TRIGGER catalog_product_del AFTER DELETE ON products_product
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product();

-- Units: verified units per desa, and the rows of the products of a unit whose verification or
-- place changed.
CREATE OR REPLACE FUNCTION public_catalog_on_unit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE public_unitcount c SET n = c.n - d.n
      FROM (SELECT desa_id, count(*) AS n FROM old_rows WHERE verified GROUP BY 1) d
     WHERE c.desa = d.desa_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO public_unitcount AS c (desa, kab, kec, n)
    SELECT desa_id, left(desa_id, 5), left(desa_id, 8), count(*) FROM new_rows
     WHERE verified GROUP BY desa_id
    ON CONFLICT (desa) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM public_catalog_sync(ARRAY(
      SELECT p.id FROM products_product p
       WHERE p.unit_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                            WHERE n.verified IS DISTINCT FROM o.verified
                               OR n.desa_id IS DISTINCT FROM o.desa_id)));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_unit_ins AFTER INSERT ON ikm_ikmunit
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_unit();
CREATE TRIGGER catalog_unit_upd AFTER UPDATE ON ikm_ikmunit
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_unit();
CREATE TRIGGER catalog_unit_del AFTER DELETE ON ikm_ikmunit
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_unit();

-- Certificates: the products they cover.
CREATE OR REPLACE FUNCTION public_catalog_on_certificate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM public_catalog_sync(ARRAY(
      SELECT cp.product_id FROM certifications_certification_products cp
       WHERE cp.certification_id IN (SELECT id FROM old_rows)));
  ELSE
    PERFORM public_catalog_sync(ARRAY(
      SELECT cp.product_id FROM certifications_certification_products cp
       WHERE cp.certification_id IN (SELECT id FROM new_rows)));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_cert_upd AFTER UPDATE ON certifications_certification
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_certificate();
CREATE TRIGGER catalog_cert_del AFTER DELETE ON certifications_certification
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_certificate();

-- Certificate <-> product links and marketplace links: their products.
CREATE OR REPLACE FUNCTION public_catalog_on_product_link() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM public_catalog_sync(ARRAY(SELECT DISTINCT product_id FROM old_rows));
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM public_catalog_sync(ARRAY(SELECT DISTINCT product_id FROM new_rows));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_certprod_ins AFTER INSERT ON certifications_certification_products
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product_link();
CREATE TRIGGER catalog_certprod_upd AFTER UPDATE ON certifications_certification_products
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product_link();
CREATE TRIGGER catalog_certprod_del AFTER DELETE ON certifications_certification_products
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product_link();
CREATE TRIGGER catalog_mlink_ins AFTER INSERT ON products_marketplacelink
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product_link();
CREATE TRIGGER catalog_mlink_upd AFTER UPDATE ON products_marketplacelink
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product_link();
CREATE TRIGGER catalog_mlink_del AFTER DELETE ON products_marketplacelink
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalog_on_product_link();

-- Daily: rows holding a certificate that has just expired.
CREATE OR REPLACE FUNCTION public_catalog_expire() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  ids := ARRAY(SELECT product_id FROM public_catalogrow
                WHERE certs_until <= public_catalog_today());
  PERFORM public_catalog_sync(ids);
  RETURN cardinality(ids);
END $$;

-- Everything from scratch (after a bulk load with the triggers disabled).
CREATE OR REPLACE FUNCTION public_catalog_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lo bigint;
  hi bigint;
  step constant bigint := 500000;
BEGIN
  TRUNCATE public_catalogrow, public_catalogcount, public_unitcount;
  ANALYZE products_product, ikm_ikmunit, certifications_certification,
          certifications_certification_products, products_marketplacelink;
  SELECT min(id), max(id) INTO lo, hi FROM products_product;
  -- The same rows as public_catalog_source, joined as sets (hash joins) rather than looked up
  -- product by product, in slices of product ids (bounded memory and temporary files).
  WHILE lo <= hi LOOP
    INSERT INTO public_catalogrow (product_id, unit_id, vector, category, kab, kec, desa, certs,
           certs_until, marketplace, is_selected, price, created_at, updated_at)
    SELECT p.id, p.unit_id, p.search_vector, p.category, u.kabupaten_code, u.kecamatan_code,
           u.desa_id, coalesce(c.certs, '{{}}')::varchar(24)[], c.until,
           ml.product_id IS NOT NULL, p.is_selected, p.price, p.created_at, p.updated_at
      FROM products_product p
      JOIN ikm_ikmunit u ON u.id = p.unit_id
      LEFT JOIN (
        SELECT cp.product_id, array_agg(DISTINCT t.v ORDER BY t.v) AS certs,
               min(x.valid_until) + 1 AS until
          FROM certifications_certification_products cp
          JOIN certifications_certification x ON x.id = cp.certification_id
          CROSS JOIN LATERAL unnest(
            CASE WHEN x.type = 'ovop' AND x.ovop_stars IS NOT NULL
                 THEN ARRAY[x.type::text, 'ovop:' || x.ovop_stars] ELSE ARRAY[x.type::text] END
          ) AS t(v)
         WHERE cp.product_id >= lo AND cp.product_id < lo + step AND x.revoked_at IS NULL
           AND (x.valid_until IS NULL OR x.valid_until >= public_catalog_today())
         GROUP BY cp.product_id
      ) c ON c.product_id = p.id
      LEFT JOIN (SELECT DISTINCT l.product_id FROM products_marketplacelink l
                  WHERE l.product_id >= lo AND l.product_id < lo + step) ml
        ON ml.product_id = p.id
     WHERE p.id >= lo AND p.id < lo + step AND p.is_published AND u.verified;
    lo := lo + step;
  END LOOP;
  INSERT INTO public_unitcount (desa, kab, kec, n)
  SELECT desa_id, left(desa_id, 5), left(desa_id, 8), count(*) FROM ikm_ikmunit
   WHERE verified GROUP BY desa_id;
  TRUNCATE public_catalogword;
  INSERT INTO public_catalogword (word)
  SELECT DISTINCT w.word FROM public_catalogrow r
    JOIN products_product p ON p.id = r.product_id
    CROSS JOIN LATERAL regexp_split_to_table(f_unaccent(lower(p.name)), '[^[:alnum:]]+') AS w(word)
   WHERE length(w.word) BETWEEN 3 AND 40;
END $$;

-- Indexes: the search with its filters inside one GIN; each sort order of the catalog.
CREATE INDEX catalogrow_search_gin ON public_catalogrow
  USING gin (vector, category, kab, kec, certs, marketplace);
-- The default order carries the facet columns: a filtered list walks it as an index-only scan
-- (the filters are checked on the index entries, no table row is read for a rejected one).
CREATE INDEX catalogrow_default_order ON public_catalogrow
  (is_selected DESC, created_at DESC, product_id DESC)
  INCLUDE (category, kab, kec, certs, marketplace);
CREATE INDEX catalogrow_kab_default_order ON public_catalogrow
  (kab, is_selected DESC, created_at DESC, product_id DESC)
  INCLUDE (category, kec, certs, marketplace);
CREATE INDEX catalogrow_newest ON public_catalogrow (created_at DESC, product_id DESC);
CREATE INDEX catalogrow_related ON public_catalogrow
  (kab, category, created_at DESC, product_id DESC);
CREATE INDEX catalogrow_price_asc ON public_catalogrow (price ASC NULLS LAST, product_id DESC);
CREATE INDEX catalogrow_price_desc ON public_catalogrow (price DESC NULLS LAST, product_id DESC);
CREATE INDEX catalogrow_selected ON public_catalogrow (updated_at DESC, product_id DESC)
  WHERE is_selected;
CREATE INDEX catalogrow_certs_until ON public_catalogrow (certs_until)
  WHERE certs_until IS NOT NULL;
CREATE INDEX catalogcount_kec ON public_catalogcount (kec);
CREATE INDEX catalogcount_kab ON public_catalogcount (kab);
CREATE INDEX catalogcount_certs ON public_catalogcount USING gin (certs);
CREATE INDEX unitcount_kec ON public_unitcount (kec);
CREATE INDEX catalogword_trgm ON public_catalogword USING gin (word gin_trgm_ops);

SELECT public_catalog_rebuild();
"""

TRIGGERS = [
    ("catalogcount_ins", "public_catalogrow"),
    ("catalogcount_upd", "public_catalogrow"),
    ("catalogcount_del", "public_catalogrow"),
    ("catalog_product_ins", "products_product"),
    ("catalog_product_upd", "products_product"),
    ("catalog_product_del", "products_product"),
    ("catalog_unit_ins", "ikm_ikmunit"),
    ("catalog_unit_upd", "ikm_ikmunit"),
    ("catalog_unit_del", "ikm_ikmunit"),
    ("catalog_cert_upd", "certifications_certification"),
    ("catalog_cert_del", "certifications_certification"),
    ("catalog_certprod_ins", "certifications_certification_products"),
    ("catalog_certprod_upd", "certifications_certification_products"),
    ("catalog_certprod_del", "certifications_certification_products"),
    ("catalog_mlink_ins", "products_marketplacelink"),
    ("catalog_mlink_upd", "products_marketplacelink"),
    ("catalog_mlink_del", "products_marketplacelink"),
]

REVERSE = (
    "".join(f"DROP TRIGGER IF EXISTS {name} ON {table};\n" for name, table in TRIGGERS)
    + """
DROP FUNCTION IF EXISTS public_catalog_rebuild();
DROP FUNCTION IF EXISTS public_catalog_expire();
DROP FUNCTION IF EXISTS public_catalog_on_product_link();
DROP FUNCTION IF EXISTS public_catalog_on_certificate();
DROP FUNCTION IF EXISTS public_catalog_on_unit();
DROP FUNCTION IF EXISTS public_catalog_on_product();
DROP FUNCTION IF EXISTS public_catalogcount_apply();
DROP FUNCTION IF EXISTS public_catalog_sync(bigint[]);
DROP VIEW IF EXISTS public_catalog_source;
DROP FUNCTION IF EXISTS public_catalog_today();
ALTER TABLE public_catalogrow DROP COLUMN IF EXISTS vector;
"""
)


# --- issue 11, second step (public/migrations/0002_issue11.py) --------------------------------
# The IKM directory's counts: verified units per (kecamatan, commodity group, sentra member),
# +n/-n by statement-level triggers on the units, like public_unitcount. A rebuild of the
# catalog's index (public_catalog_rebuild(), which truncates public_unitcount first) rebuilds it
# too, through a TRUNCATE trigger on public_unitcount: one entry point after a bulk load.
UNIT_FACETS = """
CREATE OR REPLACE FUNCTION public_unitfacet_on_unit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE public_unitfacetcount c SET n = c.n - d.n
      FROM (SELECT kecamatan_code AS kec, commodity_group, sentra_id IS NOT NULL AS sentra,
                   count(*) AS n
              FROM old_rows WHERE verified GROUP BY 1, 2, 3) d
     WHERE c.kec = d.kec AND c.commodity_group = d.commodity_group AND c.sentra = d.sentra;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO public_unitfacetcount AS c (kab, kec, commodity_group, sentra, n)
    SELECT left(kecamatan_code, 5), kecamatan_code, commodity_group, sentra_id IS NOT NULL,
           count(*)
      FROM new_rows WHERE verified GROUP BY 2, 3, 4
    ON CONFLICT (kec, commodity_group, sentra) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER unitfacet_ins AFTER INSERT ON ikm_ikmunit
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_unitfacet_on_unit();
CREATE TRIGGER unitfacet_upd AFTER UPDATE ON ikm_ikmunit
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_unitfacet_on_unit();
CREATE TRIGGER unitfacet_del AFTER DELETE ON ikm_ikmunit
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public_unitfacet_on_unit();

CREATE OR REPLACE FUNCTION public_unitfacet_rebuild() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM public_unitfacetcount;  -- not TRUNCATE (see public_catalogkabcount_apply)
  INSERT INTO public_unitfacetcount (kab, kec, commodity_group, sentra, n)
  SELECT left(kecamatan_code, 5), kecamatan_code, commodity_group, sentra_id IS NOT NULL,
         count(*)
    FROM ikm_ikmunit WHERE verified GROUP BY 2, 3, 4;
  RETURN NULL;
END $$;
CREATE TRIGGER unitfacet_rebuild AFTER TRUNCATE ON public_unitcount
  FOR EACH STATEMENT EXECUTE FUNCTION public_unitfacet_rebuild();
INSERT INTO public_unitfacetcount (kab, kec, commodity_group, sentra, n)
SELECT left(kecamatan_code, 5), kecamatan_code, commodity_group, sentra_id IS NOT NULL, count(*)
  FROM ikm_ikmunit WHERE verified GROUP BY 2, 3, 4;

-- public_catalogcount summed per kab/kota: +n/-n from every change of public_catalogcount, and
-- emptied with it (public_catalog_rebuild() truncates it, then re-inserts through the rows).
CREATE OR REPLACE FUNCTION public_catalogkabcount_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    -- DELETE, not TRUNCATE: the statement that fired this may be truncating it too (a test
    -- database's flush truncates every table in one statement).
    DELETE FROM public_catalogkabcount;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE public_catalogkabcount k SET n = k.n - d.n
      FROM (SELECT category, kab, certs, marketplace, sum(n) AS n FROM old_rows
             GROUP BY 1, 2, 3, 4) d
     WHERE k.category = d.category AND k.kab = d.kab AND k.certs = d.certs
       AND k.marketplace = d.marketplace;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO public_catalogkabcount AS k (category, kab, certs, marketplace, n)
    SELECT category, kab, certs, marketplace, sum(n) FROM new_rows GROUP BY 1, 2, 3, 4
    ON CONFLICT (category, kab, certs, marketplace) DO UPDATE SET n = k.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER catalogkabcount_ins AFTER INSERT ON public_catalogcount
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalogkabcount_apply();
CREATE TRIGGER catalogkabcount_upd AFTER UPDATE ON public_catalogcount
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalogkabcount_apply();
CREATE TRIGGER catalogkabcount_del AFTER DELETE ON public_catalogcount
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalogkabcount_apply();
CREATE TRIGGER catalogkabcount_truncate AFTER TRUNCATE ON public_catalogcount
  FOR EACH STATEMENT EXECUTE FUNCTION public_catalogkabcount_apply();
INSERT INTO public_catalogkabcount (category, kab, certs, marketplace, n)
SELECT category, kab, certs, marketplace, sum(n) FROM public_catalogcount GROUP BY 1, 2, 3, 4;
CREATE INDEX catalogkabcount_certs ON public_catalogkabcount USING gin (certs);

-- Common search words are told from the statistics of the vectors (public.catalog.COMMON_WORD):
-- more of them are kept (10 x the target: up to 10,000 lexemes).
ALTER TABLE public_catalogrow ALTER COLUMN vector SET STATISTICS 1000;
ANALYZE public_catalogrow;
"""

UNIT_FACETS_REVERSE = """
DROP TRIGGER IF EXISTS catalogkabcount_ins ON public_catalogcount;
DROP TRIGGER IF EXISTS catalogkabcount_upd ON public_catalogcount;
DROP TRIGGER IF EXISTS catalogkabcount_del ON public_catalogcount;
DROP TRIGGER IF EXISTS catalogkabcount_truncate ON public_catalogcount;
DROP FUNCTION IF EXISTS public_catalogkabcount_apply();
ALTER TABLE public_catalogrow ALTER COLUMN vector SET STATISTICS -1;
DROP TRIGGER IF EXISTS unitfacet_rebuild ON public_unitcount;
DROP TRIGGER IF EXISTS unitfacet_ins ON ikm_ikmunit;
DROP TRIGGER IF EXISTS unitfacet_upd ON ikm_ikmunit;
DROP TRIGGER IF EXISTS unitfacet_del ON ikm_ikmunit;
DROP FUNCTION IF EXISTS public_unitfacet_rebuild();
DROP FUNCTION IF EXISTS public_unitfacet_on_unit();
"""


# --- issue 11: a cheaper rebuild (public/migrations/0004_catalog_rebuild_counts.py) ----------
# The same rows and counts as FORWARD's public_catalog_rebuild(), made faster: the rows are
# inserted with the count trigger off (it collected every slice of up to 500,000 rows into a
# transition table and upserted its groups: half the rebuild's time) and the counts are then
# made by one GROUP BY over the rows, which also fills public_catalogkabcount through its
# trigger; the words are split from each distinct name once.
_REBUILD_START = FORWARD.index("CREATE OR REPLACE FUNCTION public_catalog_rebuild()")
REBUILD_BEFORE = FORWARD[_REBUILD_START : FORWARD.index("-- Indexes:", _REBUILD_START)]
REBUILD = (
    REBUILD_BEFORE.replace(
        "  SELECT min(id), max(id) INTO lo, hi FROM products_product;\n",
        "  SELECT min(id), max(id) INTO lo, hi FROM products_product;\n"
        "  ALTER TABLE public_catalogrow DISABLE TRIGGER catalogcount_ins;\n",
    )
    .replace(
        "    lo := lo + step;\n  END LOOP;\n",
        "    lo := lo + step;\n  END LOOP;\n"
        "  ALTER TABLE public_catalogrow ENABLE TRIGGER catalogcount_ins;\n"
        "  INSERT INTO public_catalogcount (category, kab, kec, desa, certs, marketplace, n)\n"
        "  SELECT category, left(desa, 5), left(desa, 8), desa, certs, marketplace, count(*)\n"
        "    FROM public_catalogrow GROUP BY category, desa, certs, marketplace;\n",
    )
    .replace(
        "  SELECT DISTINCT w.word FROM public_catalogrow r\n"
        "    JOIN products_product p ON p.id = r.product_id\n"
        "    CROSS JOIN LATERAL",
        "  SELECT DISTINCT w.word FROM (SELECT DISTINCT p.name FROM public_catalogrow r\n"
        "    JOIN products_product p ON p.id = r.product_id) p\n"
        "    CROSS JOIN LATERAL",
    )
)
assert REBUILD.count("catalogcount_ins") == 2 and "SELECT DISTINCT p.name" in REBUILD
