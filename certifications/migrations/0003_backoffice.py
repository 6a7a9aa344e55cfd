"""Issue 12: back-office work tool (placeholder: operations filled by the issue)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("certifications", "0002_certificate_reminder")]

    operations = []
