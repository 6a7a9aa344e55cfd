"""Issue 11: national-scale catalog (placeholder: operations filled by the issue)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("products", "0004_public_unit_cover_index")]

    operations = []
