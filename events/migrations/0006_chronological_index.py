"""The index the events list reads its pages from (events/indexes.py)."""

from django.db import migrations

from events.indexes import CHRONOLOGICAL


class Migration(migrations.Migration):
    dependencies = [("events", "0005_lighter_indexes")]

    operations = [CHRONOLOGICAL.operation()]
