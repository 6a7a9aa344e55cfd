"""Index for the catalog's default order (produk terseleksi first, then newest).

``ORDER BY is_selected DESC, created_at DESC, id DESC`` over published products: with this
index the first catalog pages read 24 rows instead of sorting the whole catalog (a database-only
index, like the search indexes of 0002_search; see products/selectors.py:_order).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("products", "0002_search")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX product_catalog_default_order_idx ON products_product "
            "(is_selected DESC, created_at DESC, id DESC) WHERE is_published;",
            "DROP INDEX IF EXISTS product_catalog_default_order_idx;",
        ),
    ]
