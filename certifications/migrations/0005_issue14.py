"""Issue 14 needed no change to the certifications tables: a request's number (PRM-2026-000123)
is derived from the year it was created and its id (Request.reference), so no column holds it.
Kept so that a later migration has a stable predecessor.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("certifications", "0004_security")]

    operations = []
