"""Editorial operations on records, as plain functions: the locked save, the trash, the hard delete.

Each operation takes keyword-only arguments and runs in one transaction; the
admin (:mod:`cantho.admin_editorial`) calls them, and so may any other code.

* :func:`record_save_with_lock` saves a record only if nobody saved it since the
  version the editor started from (optimistic locking); otherwise it raises
  :class:`EditConflict` and writes nothing.
* :func:`record_trash` and :func:`record_restore` move a record to the trash and
  back: the row stays, ``deleted_at`` is set or cleared, a revision is recorded.
* :func:`record_hard_delete` and :func:`trash_empty` delete for good, only from
  the trash, and never a record other records still link to
  (:func:`record_links`): that is refused with :class:`RecordIsLinked`.

Revisions (django-simple-history) are compared with :func:`revision_changes`;
:func:`changes_since` says what changed after a given version, for the message
shown when a save is refused. Every value is given in the form a person reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from simple_history.template_utils import ObjDiffDisplay

from cantho.models import Record

__all__ = [
    "EditConflict",
    "FieldChange",
    "Link",
    "Meanwhile",
    "NotInTrash",
    "RecordIsLinked",
    "TrashEmptied",
    "changes_since",
    "describe_reason",
    "display_value",
    "record_hard_delete",
    "record_links",
    "record_restore",
    "record_save_with_lock",
    "record_trash",
    "revision_changes",
    "trash_empty",
]

# -- change reasons, stored in each revision's ``history_change_reason`` --------------------
# Stored as short codes, shown translated by :func:`describe_reason`.
REASON_TRASHED = "trash"
REASON_RESTORED = "untrash"
REASON_REVERTED = "revert:"  # + the ISO date and time of the revision restored


def revert_reason(revision) -> str:
    """The change reason of a save that restores ``revision`` (a historical record)."""
    return REASON_REVERTED + revision.history_date.isoformat()


def describe_reason(reason: str | None) -> str:
    """A revision's change reason as a person reads it, in the active language."""
    if not reason:
        return ""
    if reason == REASON_TRASHED:
        return gettext("Moved to the trash")
    if reason == REASON_RESTORED:
        return gettext("Restored from the trash")
    if reason.startswith(REASON_REVERTED):
        try:
            when = datetime.datetime.fromisoformat(reason.removeprefix(REASON_REVERTED))
        except ValueError:
            return reason
        return gettext("Restored from the revision of %(date)s") % {"date": _datetime(when)}
    return reason


# -- showing values ------------------------------------------------------------------------
EMPTY = "—"
#: Values longer than this are shortened around what differs.
MAX_SHOWN = 160


def _datetime(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def display_value(model_field: models.Field, value) -> str:
    """``value`` of ``model_field`` as the admin shows it: choice labels, local dates and numbers, names of related objects."""
    if value is None or (not isinstance(value, (bool, int, Decimal)) and str(value) == ""):
        return EMPTY
    if isinstance(value, FieldFile):
        return value.name or EMPTY
    if model_field.choices and not isinstance(value, models.Model):
        key = getattr(value, "code", value)  # django-countries gives a Country
        label = dict(model_field.flatchoices).get(key)
        if label is not None:
            return str(label)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return _datetime(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (Decimal, float)):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs between two revisions, with both values as shown in the admin."""

    name: str
    label: str
    old: str
    new: str


def _field_order(model: type[models.Model]) -> dict[str, int]:
    return {model_field.name: index for index, model_field in enumerate(model._meta.concrete_fields)}


def _compared_fields(revision) -> set[str]:
    """The fields a person edits (moving to the trash and back shows as the revision's reason)."""
    return {tracked.name for tracked in revision.tracked_fields if tracked.editable and not tracked.primary_key}


def revision_changes(*, old, new, shorten: bool = True) -> list[FieldChange]:
    """The fields that differ between two revisions of one record, in the order of the model's fields.

    Many-to-many relations (partners of an agreement, fields of cooperation) and
    inline parts (sources, photos) are not in the revisions, so never listed.
    """
    model = new.instance_type
    delta = new.diff_against(old, included_fields=_compared_fields(new), foreign_keys_are_objs=True)
    order = _field_order(model)
    shortener = ObjDiffDisplay(max_length=MAX_SHOWN)
    changes = []
    for change in sorted(delta.changes, key=lambda change: order.get(change.field, len(order))):
        model_field = model._meta.get_field(change.field)
        before, after = display_value(model_field, change.old), display_value(model_field, change.new)
        if before == after:
            continue  # a difference no one can see, e.g. the seconds of a time the form does not show
        if shorten:
            before, after = shortener.common_shorten_repr(before, after)
        changes.append(FieldChange(change.field, capfirst(model_field.verbose_name), before, after))
    return changes


def _newest_first(history):
    return history.order_by("-history_date", "-history_id")


@dataclass(frozen=True)
class Meanwhile:
    """What happened to a record after ``version``: who saved it, when, and which values changed."""

    version: int
    current_version: int | None
    editors: list[str] = field(default_factory=list)
    saved_at: datetime.datetime | None = None
    changes: list[FieldChange] = field(default_factory=list)
    #: What the later saves were, when they say (e.g. "Moved to the trash"), oldest first.
    reasons: list[str] = field(default_factory=list)
    #: False when the revision of ``version`` is not in the history (records older than it).
    known: bool = True


def _person(user) -> str:
    if user is None:
        return gettext("someone (not through the admin)")
    return user.get_full_name() or user.get_username()


def changes_since(*, record: Record, version: int) -> Meanwhile:
    """What changed in ``record`` after ``version`` (the version an editor loaded), from its revisions."""
    current = type(record)._base_manager.filter(pk=record.pk).values_list("version", flat=True).first()
    history = _newest_first(type(record).history.filter(**{record._meta.pk.attname: record.pk}).select_related("history_user"))
    later = list(history.filter(version__gt=version))
    editors = list(dict.fromkeys(_person(revision.history_user) for revision in reversed(later)))
    saved_at = later[0].history_date if later else None
    reasons = list(dict.fromkeys(describe_reason(revision.history_change_reason) for revision in reversed(later) if revision.history_change_reason))
    loaded = history.filter(version=version).first()
    if loaded is None or not later:
        return Meanwhile(version, current, editors, saved_at, reasons=reasons, known=False)
    return Meanwhile(version, current, editors, saved_at, revision_changes(old=loaded, new=later[0], shorten=False), reasons)


# -- the locked save ---------------------------------------------------------------------------
class EditConflict(Exception):
    """The record was saved by someone else after ``expected_version``; nothing was written."""

    def __init__(self, record: Record, expected_version: int, current_version: int | None):
        self.record, self.expected_version, self.current_version = record, expected_version, current_version
        super().__init__(f"{record._meta.label} {record.pk}: expected version {expected_version}, found {current_version}")


def record_save_with_lock(*, record: Record, expected_version: int, user=None, reason: str = "") -> Record:
    """Save ``record`` if its row is still at ``expected_version``; raise :class:`EditConflict` otherwise.

    The check is a conditional ``UPDATE ... WHERE version = expected``: it locks the
    row until the transaction ends, so of two saves from the same version exactly
    one passes, whatever the timing (the other waits, then finds the new version).
    The save itself is ``record.save()``, which raises the version by one and
    records a revision by ``user`` with ``reason`` (see :func:`describe_reason`).
    """
    model = type(record)
    with transaction.atomic(using=record._state.db or "default"):
        claimed = model._base_manager.filter(pk=record.pk, version=expected_version).update(version=expected_version)
        if not claimed:
            current = model._base_manager.filter(pk=record.pk).values_list("version", flat=True).first()
            raise EditConflict(record, expected_version, current)
        record.version = expected_version
        _save(record, user=user, reason=reason)
    return record


def _save(record: Record, *, user=None, reason: str = "") -> None:
    """``record.save()`` with the revision's author and change reason."""
    if user is not None:
        record._history_user = user
    if reason:
        record._change_reason = reason
    try:
        record.save()
    finally:
        record.__dict__.pop("_change_reason", None)


# -- the trash ---------------------------------------------------------------------------------
def record_trash(*, record: Record, user=None) -> Record:
    """Move ``record`` to the trash: it keeps its row, leaves the public site and the admin lists."""
    with transaction.atomic():
        if record.deleted_at is None:
            record.deleted_at = timezone.now()
            _save(record, user=user, reason=REASON_TRASHED)
    return record


def record_restore(*, record: Record, user=None) -> Record:
    """Take ``record`` out of the trash, as it was when it went in (a published record is public again)."""
    with transaction.atomic():
        if record.deleted_at is not None:
            record.deleted_at = None
            _save(record, user=user, reason=REASON_RESTORED)
    return record


@dataclass(frozen=True)
class Link:
    """Another record that links to the one to be deleted: an agreement naming a partner, an article's citing record..."""

    obj: models.Model
    #: How it links, e.g. "agreement (foreign parties)".
    relation: str

    @property
    def in_trash(self) -> bool:
        return getattr(self.obj, "deleted_at", None) is not None

    def __str__(self) -> str:
        return f"{self.relation}: {self.obj}"


def record_links(*, record: Record) -> list[Link]:
    """The records (in the trash or not) that link to ``record`` and would lose that link if it were deleted.

    These are the other records pointing to it by a foreign key (an investment's
    investor) or a many-to-many relation (an agreement's parties, an aid project's
    donors, a record's source articles). The record's own parts (its source links,
    photos, suggested facts) go with it and are not listed.
    """
    links = []
    for relation in record._meta.related_objects:
        other = relation.related_model
        if not (isinstance(other, type) and issubclass(other, Record)):
            continue  # a part of this record, or the through table of a relation counted below
        found = other._base_manager.filter(**{relation.field.name: record.pk}).distinct().order_by("pk")
        label = f"{other._meta.verbose_name} ({relation.field.verbose_name})"
        links.extend(Link(obj, label) for obj in found)
    return links


class NotInTrash(Exception):
    """Only a record in the trash may be deleted for good."""


class RecordIsLinked(Exception):
    """A record other records link to may not be deleted; ``links`` lists them."""

    def __init__(self, record: Record, links: list[Link]):
        self.record, self.links = record, links
        super().__init__(f"{record._meta.label} {record.pk} is linked from {len(links)} records")


def _hard_delete(record: Record, user) -> None:
    if record.deleted_at is None:
        raise NotInTrash(record)
    links = record_links(record=record)
    if links:
        raise RecordIsLinked(record, links)
    if user is not None:
        record._history_user = user
    record.delete()


def record_hard_delete(*, record: Record, user=None) -> None:
    """Delete a record in the trash for good, unless other records link to it (:class:`RecordIsLinked`)."""
    with transaction.atomic():
        _hard_delete(record, user)


@dataclass
class TrashEmptied:
    """What emptying the trash did: the records deleted, and those kept because others link to them."""

    deleted: list[str] = field(default_factory=list)
    refused: list[RecordIsLinked] = field(default_factory=list)


def trash_empty(*, model: type[Record], user=None, records: Iterable[Record] | None = None) -> TrashEmptied:
    """Delete for good every record of ``model`` in the trash (or only ``records`` of them) that nothing links to."""
    result = TrashEmptied()
    with transaction.atomic():
        trashed = model._base_manager.filter(deleted_at__isnull=False).order_by("pk")
        if records is not None:
            trashed = trashed.filter(pk__in=[record.pk for record in records])
        for record in trashed:
            name = str(record)
            try:
                _hard_delete(record, user)
            except RecordIsLinked as refusal:
                result.refused.append(refusal)
            else:
                result.deleted.append(name)
    return result
