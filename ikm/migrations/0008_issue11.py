"""Issue 11 (national-scale catalog): placeholder, filled by that issue."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ikm", "0007_issue14")]

    operations = []
