"""Issue 13: security (placeholder: operations filled by the issue)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("certifications", "0003_backoffice")]

    operations = []
