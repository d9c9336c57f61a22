"""The index the investment list reads its default order from (investments/indexes.py)."""

from django.db import migrations

from investments.indexes import BY_CAPITAL


class Migration(migrations.Migration):
    dependencies = [("investments", "0005_lighter_indexes")]

    operations = [BY_CAPITAL.operation()]
