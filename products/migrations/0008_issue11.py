"""Issue 11 (national-scale catalog), second step, needed no change to the products tables: the
catalog's index and count tables live in public (public/migrations/0002_issue11.py). Kept so
that the programme apps' first migrations, which depend on it, keep their order.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("products", "0007_issue14")]

    operations = []
