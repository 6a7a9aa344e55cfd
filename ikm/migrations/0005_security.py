"""Issue 13: security and personal-data rights (placeholder: operations filled by the issue)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ikm", "0004_import_names")]

    operations = []
