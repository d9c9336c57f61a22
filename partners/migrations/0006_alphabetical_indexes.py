"""The indexes the partner directory reads its pages from on PostgreSQL (partners/indexes.py)."""

from django.db import migrations

from partners.indexes import ALPHABETICAL


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_lighter_indexes"), ("cantho", "0003_vietnamese_collation")]

    operations = [ALPHABETICAL.operation()]
