"""Full-text and typo-tolerant search on products, computed by PostgreSQL.

* ``f_unaccent(text)``: an IMMUTABLE wrapper of ``unaccent`` with its dictionary named, so it may
  be used in a generated column and in an index (plain ``unaccent`` is only STABLE).
* ``products_product.search_vector``: a STORED generated column (not a Django field: the ORM
  reads it through ``products.search.SEARCH_VECTOR``) with the name at weight A and the description
  at weight B, parsed with PostgreSQL's built-in ``indonesian`` configuration after unaccent.
  Being computed by the database it stays right for bulk imports, ``update()`` and raw SQL.
* GIN index on it (full-text ``@@``), and a trigram GIN index on ``f_unaccent(lower(name))`` for
  typo tolerance (``<%`` word similarity) — see products/search.py.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $func$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $func$;
"""

COLUMN = """
ALTER TABLE products_product ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('indonesian'::regconfig, f_unaccent(coalesce(name, ''))), 'A')
    || setweight(to_tsvector('indonesian'::regconfig, f_unaccent(coalesce(description, ''))), 'B')
) STORED;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ikm", "0002_extensions"),
        ("products", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS f_unaccent(text);"),
        migrations.RunSQL(
            COLUMN, "ALTER TABLE products_product DROP COLUMN IF EXISTS search_vector;"
        ),
        # Catalog search: products_product.search_vector @@ tsquery.
        migrations.RunSQL(
            "CREATE INDEX product_search_vector_gin ON products_product "
            "USING gin (search_vector);",
            "DROP INDEX IF EXISTS product_search_vector_gin;",
        ),
        # Typo tolerance: 'lempuk' <% f_unaccent(lower(name)).
        migrations.RunSQL(
            "CREATE INDEX product_name_trgm_gin ON products_product "
            "USING gin ((f_unaccent(lower(name))) gin_trgm_ops);",
            "DROP INDEX IF EXISTS product_name_trgm_gin;",
        ),
    ]
