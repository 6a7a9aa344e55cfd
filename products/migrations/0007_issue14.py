"""Issue 14 (owners on a phone, search for everyday words): placeholder, filled by that issue."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("products", "0006_security")]

    operations = []
