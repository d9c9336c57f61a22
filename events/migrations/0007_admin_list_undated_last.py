"""PostgreSQL: an index for the admin list of events, newest first and undated last, as the list now sorts
on every database (cantho.admin.RecordChangeList; events/indexes.py)."""

from django.db import migrations

from cantho.dbops import vendor_sql
from events.indexes import ADMIN_LIST


class Migration(migrations.Migration):
    dependencies = [("events", "0006_chronological_index")]

    operations = [vendor_sql({"postgresql": list(ADMIN_LIST)}, {"postgresql": ["DROP INDEX IF EXISTS events_event_admin_newest"]})]
