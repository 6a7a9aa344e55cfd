"""Issue 14 (owners on a phone, search for everyday words) needed no change to the ikm tables: the
formats and the unit page's scale label are code (core/formatting.py, IKMUnit.get_scale_display).
Kept so that the migrations after it keep their names.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ikm", "0006_scale")]

    operations = []
