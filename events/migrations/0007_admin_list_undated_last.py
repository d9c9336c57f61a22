"""PostgreSQL: an index for the admin list of events, newest first and undated last, as the list now sorts
on every database (cantho.admin.RecordChangeList; events/indexes.py)."""

from django.db import migrations

from events.indexes import ADMIN_LIST


class Migration(migrations.Migration):
    dependencies = [("events", "0006_chronological_index")]

    operations = [ADMIN_LIST.operation()]
