"""Issue 13: input limits (placeholder: operations filled by the issue)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("products", "0005_scale")]

    operations = []
