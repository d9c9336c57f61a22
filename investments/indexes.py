"""The index the investment list reads its default order from: largest capital first within each
currency, unknown capital last (``InvestmentQuerySet.sorted_by("-capital")``).

Without it every page of /investments/ sorted all published projects with their joins
(36 ms on PostgreSQL at bench size). Made by migration 0006 and, when a SQLite table
rebuild dropped it, again after every ``migrate`` (:class:`cantho.dbops.HandMadeIndexes`).
"""

from __future__ import annotations

from cantho.dbops import PUBLISHED_ROWS, HandMadeIndexes

__all__ = ["BY_CAPITAL"]

BY_CAPITAL = HandMadeIndexes(
    table="investments_investment",
    made_by=("investments", "0006_capital_index"),
    create={
        "postgresql": [
            "CREATE INDEX IF NOT EXISTS investments_investment_by_capital ON investments_investment "
            "(capital_currency, capital_amount DESC NULLS LAST, name, id) INCLUDE (published_at) "
            f"{PUBLISHED_ROWS}",
        ],
        "sqlite": [
            # Covering; SQLite's DESC puts NULLs last. Not led by the status (as the archive's are): SQLite then
            # took it for the filtered lists' totals (GROUP BY currency) instead of the sector or country index.
            "CREATE INDEX IF NOT EXISTS investments_investment_by_capital ON investments_investment "
            "(capital_currency, capital_amount DESC, name, id, status, deleted_at, published_at)",
        ],
    },
)
