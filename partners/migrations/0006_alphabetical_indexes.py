"""The partner directory's alphabetical pages on PostgreSQL, read from indexes on the ICU collation "vi".

Replaced by 0007 (stored sort keys with their own indexes, on both databases), which drops them.
"""

from django.db import migrations

from cantho.dbops import PUBLISHED_ROWS, vendor_sql

SHOWN_EN = """(COALESCE(NULLIF(name_en, ''), name) COLLATE "vi")"""
INDEXES = {
    "partners_partner_alphabetical": f'(name COLLATE "vi", id) {PUBLISHED_ROWS}',
    "partners_partner_country_alphabetical": f'(country, name COLLATE "vi", id) {PUBLISHED_ROWS}',
    "partners_partner_alphabetical_en": f"({SHOWN_EN}, id) {PUBLISHED_ROWS}",
    "partners_partner_country_alphabetical_en": f"(country, {SHOWN_EN}, id) {PUBLISHED_ROWS}",
}

CREATE = {"postgresql": [f"CREATE INDEX IF NOT EXISTS {name} ON partners_partner {spec}" for name, spec in INDEXES.items()]}
DROP = {"postgresql": [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]}  # also 0007's way forwards


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_lighter_indexes"), ("cantho", "0003_vietnamese_collation")]

    operations = [vendor_sql(CREATE, DROP)]
