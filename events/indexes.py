"""The index the events list reads its pages from: newest first, day- before month- before
year-precise on the same date, then by title (``EventQuerySet.chronological``).

Without it every page of /events/ sorted all 50,000 events (80 ms at bench size).
Made by migration 0006 and, when a SQLite table rebuild dropped it, again after every
``migrate`` (:class:`cantho.dbops.HandMadeIndexes`).
"""

from __future__ import annotations

from cantho.dbops import PUBLISHED_ROWS, HandMadeIndexes

__all__ = ["ADMIN_LIST", "CHRONOLOGICAL"]


CHRONOLOGICAL = HandMadeIndexes(
    table="events_event",
    made_by=("events", "0006_chronological_index"),
    create={
        "postgresql": [
            "CREATE INDEX IF NOT EXISTS events_event_chronological ON events_event "
            "(start_date DESC NULLS LAST, date_precision, title, id) INCLUDE (published_at) "
            f"{PUBLISHED_ROWS}",
        ],
        "sqlite": [
            # Led by the status and covering, as the archive's (news/indexes.py); SQLite's DESC puts NULLs last.
            "CREATE INDEX IF NOT EXISTS events_event_chronological ON events_event "
            "(status, start_date DESC, date_precision, title, id, deleted_at, published_at)",
        ],
    },
)

#: PostgreSQL: the admin list of events, newest first and undated last (:class:`cantho.admin.RecordChangeList`).
#: SQLite sorts NULLs so already, and reads its ``start_date`` index.
ADMIN_LIST = HandMadeIndexes(
    table="events_event",
    made_by=("events", "0007_admin_list_undated_last"),
    create={"postgresql": ["CREATE INDEX IF NOT EXISTS events_event_admin_newest ON events_event (start_date DESC NULLS LAST, title, id DESC)"]},
)
