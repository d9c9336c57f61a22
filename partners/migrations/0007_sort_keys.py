"""Partners sort by stored keys (``Partner.sort_name``, ``sort_name_en``) read from plain indexes on
both databases, instead of the "vi" collation: on SQLite a Python function called per comparison
that no index could use. Fills the keys of the partners there are and drops 0006's indexes."""

import importlib

from django.db import migrations, models

import cantho.collation
from cantho.dbops import vendor_sql
from cantho.text import stored_sort_key

MIGRATION_0006 = importlib.import_module("partners.migrations.0006_alphabetical_indexes")

BATCH = 1000


def fill_sort_keys(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    manager = Partner._base_manager.using(schema_editor.connection.alias)
    batch = []
    for partner in manager.only("pk", "name", "name_en").order_by("pk").iterator(chunk_size=BATCH):
        partner.sort_name = stored_sort_key(partner.name)
        partner.sort_name_en = stored_sort_key(partner.name_en or partner.name)
        batch.append(partner)
        if len(batch) == BATCH:
            manager.bulk_update(batch, ["sort_name", "sort_name_en"])
            batch = []
    if batch:
        manager.bulk_update(batch, ["sort_name", "sort_name_en"])


PUBLISHED = models.Q(("deleted_at__isnull", True), ("status", "published"))


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_alphabetical_indexes")]

    operations = [
        migrations.AddField(model_name="partner", name="sort_name", field=cantho.collation.SortKeyField(default="", editable=False)),
        migrations.AddField(model_name="partner", name="sort_name_en", field=cantho.collation.SortKeyField(default="", editable=False)),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop, elidable=False),
        vendor_sql(MIGRATION_0006.DROP, MIGRATION_0006.CREATE),  # 0006 reversed: its ICU indexes go
        migrations.AddIndex(model_name="partner", index=models.Index(condition=PUBLISHED, fields=["sort_name", "id"], name="partner_abc")),
        migrations.AddIndex(model_name="partner", index=models.Index(condition=PUBLISHED, fields=["sort_name_en", "id"], name="partner_abc_en")),
        migrations.AddIndex(model_name="partner", index=models.Index(condition=PUBLISHED, fields=["country", "sort_name", "id"], name="partner_country_abc")),
        migrations.AddIndex(
            model_name="partner", index=models.Index(condition=PUBLISHED, fields=["country", "sort_name_en", "id"], name="partner_country_abc_en")
        ),
    ]
