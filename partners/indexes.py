"""The indexes the partner directory reads its pages from on PostgreSQL: in Vietnamese alphabetical
order (the ICU collation "vi", ``PartnerQuerySet.alphabetical``), all partners and by country.

Without them every page of /partners/ sorted all 10,000 published partners (16 ms at bench
size). SQLite has none: its "vi" collation is a Python function, which an index would make
every writer of the table need, the command-line shell included. Made by migration 0006
and, when missing, again after every ``migrate`` (:class:`cantho.dbops.HandMadeIndexes`).
"""

from __future__ import annotations

from cantho.dbops import PUBLISHED_ROWS, HandMadeIndexes

__all__ = ["ALPHABETICAL"]

SHOWN_EN = """(COALESCE(NULLIF(name_en, ''), name) COLLATE "vi")"""

ALPHABETICAL = HandMadeIndexes(
    table="partners_partner",
    made_by=("partners", "0006_alphabetical_indexes"),
    create={
        "postgresql": [
            f'CREATE INDEX IF NOT EXISTS partners_partner_alphabetical ON partners_partner (name COLLATE "vi", id) {PUBLISHED_ROWS}',
            f'CREATE INDEX IF NOT EXISTS partners_partner_country_alphabetical ON partners_partner (country, name COLLATE "vi", id) {PUBLISHED_ROWS}',
            # the English site: the English name when there is one
            f"CREATE INDEX IF NOT EXISTS partners_partner_alphabetical_en ON partners_partner ({SHOWN_EN}, id) {PUBLISHED_ROWS}",
            f"CREATE INDEX IF NOT EXISTS partners_partner_country_alphabetical_en ON partners_partner (country, {SHOWN_EN}, id) {PUBLISHED_ROWS}",
        ],
    },
)
