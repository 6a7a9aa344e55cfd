"""Issue 10: region aliases and trigram look-up of region names for imports (placeholder: operations filled by the issue)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ikm", "0003_role_groups")]

    operations = []
