"""Issue 11 (national-scale catalog): placeholder, filled by that issue."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("public", "0001_catalog_index")]

    operations = []
