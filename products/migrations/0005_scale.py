"""Issue 11 (national-scale catalog): no operation here. The catalog's search and count tables
and their triggers live in public/migrations/0001_catalog_index.py (they also watch certificates,
which products may not depend on); kept so that migration 0006 keeps its parent."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("products", "0004_public_unit_cover_index")]

    operations = []
