"""The full-text search index of the records (GIN on PostgreSQL, FTS5 + triggers on SQLite); see cantho/search_index.py."""

from django.db import migrations

from cantho.search_index import install_operation


class Migration(migrations.Migration):
    dependencies = [("events", "0003_integrity_constraints")]

    operations = [
        install_operation("events", "Event"),
    ]
