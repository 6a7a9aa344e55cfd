"""Issue 11: national-scale catalog (placeholder: operations filled by the issue)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ikm", "0005_security")]

    operations = []
