"""Editorial states, who may move a record between them, and the staff work queue.

A record moves draft → in review → published → archived. Each allowed move is a
:class:`Transition`: :meth:`~Transition.check` says whether a user may make it on
a record (and, if not, why), :meth:`~Transition.execute` makes it in one
transaction and saves through the model, so the revision history records who
did it. The admin's change form, its bulk actions and anything else that
changes a status go through :data:`TRANSITIONS`; nothing else decides.

* Editors (the model's ``change`` permission) submit a draft for review and take
  it back to draft.
* Publishers (the model's ``publish`` permission) publish, unpublish (back to
  draft), archive and un-archive.

A record published with ``published_at`` in the future is *scheduled*: the one
publish rule (:meth:`cantho.models.RecordQuerySet.published`) shows it from
that moment, with no job to run.

The work queue (:func:`work_queue`) lists what waits for staff: records in
review, old drafts, imported articles to check, published records without a
source, scheduled records. Its sections are :data:`QUEUE_SECTIONS`; the admin's
"work queue" list filter uses the same definitions, so the counts agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.db import models, transaction
from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cantho.models import Record, Status
from cantho.roles import RECORDS

__all__ = [
    "Transition",
    "TransitionRefused",
    "TRANSITIONS",
    "SUBMIT",
    "WITHDRAW",
    "PUBLISH",
    "UNPUBLISH",
    "ARCHIVE",
    "UNARCHIVE",
    "transition_between",
    "allowed_statuses",
    "check_status_change",
    "change_status",
    "plan",
    "execute_many",
    "is_scheduled",
    "record_models",
    "QueueSection",
    "QUEUE_SECTIONS",
    "queue_section",
    "work_queue",
]

#: A draft untouched by review for this long shows in the work queue.
STALE_DRAFT_AGE = datetime.timedelta(days=14)
#: How many records each work-queue section lists.
QUEUE_LENGTH = 10


class TransitionRefused(Exception):
    """A status change the user may not make, or not from the record's current state; ``reason`` says why."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def may(user, permission: str, model: type[models.Model]) -> bool:
    """Whether ``user`` has ``permission`` ("change", "publish", "view") on ``model``."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(permission, opts)}")


def is_scheduled(record: Record) -> bool:
    """Published with a publication time still to come: the public will see it then, by itself."""
    return record.status == Status.PUBLISHED and record.published_at is not None and record.published_at > timezone.now()


def _moment(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


# -- transitions ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Transition:
    """One allowed move between editorial states: from any of ``sources`` to ``target``, for holders of ``permission``."""

    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    #: "change" (Editors and Publishers) or "publish" (Publishers only).
    permission: str
    #: Why a record in another state cannot make this move.
    wrong_state: Promise

    def check(self, *, user, record: Record):
        """``None`` if ``user`` may make this move on ``record`` now, else the reason why not (translatable text)."""
        if not may(user, self.permission, type(record)):
            return _("Only Publishers may do this.") if self.permission == "publish" else _("You may not change this record.")
        if record.status not in self.sources:
            return self.wrong_state
        if getattr(record, "deleted_at", None) is not None:
            return _("It is in the trash.")
        return None

    def apply(self, record: Record) -> None:
        """Set the new state on ``record`` (unsaved); publishing stamps ``published_at`` unless it is already set (or scheduled)."""
        record.status = self.target
        if self.target == Status.PUBLISHED and record.published_at is None:
            record.published_at = timezone.now()

    def outcome(self, record: Record) -> str:
        """What the move will do to ``record``, e.g. "Draft → Published" or "… (scheduled: 05/12/2026 08:00)"."""
        text = f"{Status(record.status).label} → {Status(self.target).label}"
        if self.target == Status.PUBLISHED and record.published_at and record.published_at > timezone.now():
            text += " " + str(_("(scheduled: appears on %(moment)s)") % {"moment": _moment(record.published_at)})
        return text

    def execute(self, *, user, record: Record) -> Record:
        """Make the move in one transaction and return the saved record.

        The row is locked and checked again as it is in the database, so two
        people acting at once cannot both move it; ``TransitionRefused`` if not allowed.
        """
        with transaction.atomic():
            current = type(record)._base_manager.select_for_update().get(pk=record.pk)
            reason = self.check(user=user, record=current)
            if reason is not None:
                raise TransitionRefused(reason)
            self.apply(current)
            current._history_user = user  # the revision names who made the move, with or without a request
            current.save()
        return current


SUBMIT = Transition(
    "submit",
    _("Submit for review"),
    frozenset({Status.DRAFT}),
    Status.REVIEW,
    "change",
    _("Only drafts can be submitted for review."),
)
WITHDRAW = Transition(
    "withdraw",
    _("Take back to draft"),
    frozenset({Status.REVIEW}),
    Status.DRAFT,
    "change",
    _("Only records in review can be taken back to draft."),
)
PUBLISH = Transition(
    "publish",
    _("Publish"),
    frozenset({Status.DRAFT, Status.REVIEW, Status.ARCHIVED}),
    Status.PUBLISHED,
    "publish",
    _("It is already published."),
)
UNPUBLISH = Transition(
    "unpublish",
    _("Unpublish (back to draft)"),
    frozenset({Status.PUBLISHED}),
    Status.DRAFT,
    "publish",
    _("Only published records can be unpublished."),
)
ARCHIVE = Transition(
    "archive",
    _("Archive"),
    frozenset({Status.DRAFT, Status.REVIEW, Status.PUBLISHED}),
    Status.ARCHIVED,
    "publish",
    _("It is already archived."),
)
UNARCHIVE = Transition(
    "unarchive",
    _("Un-archive (back to draft)"),
    frozenset({Status.ARCHIVED}),
    Status.DRAFT,
    "publish",
    _("Only archived records can be un-archived."),
)

#: Every allowed move; at most one per (from, to) pair.
TRANSITIONS: tuple[Transition, ...] = (SUBMIT, WITHDRAW, PUBLISH, UNPUBLISH, ARCHIVE, UNARCHIVE)


def transition_between(source: str, target: str) -> Transition | None:
    """The move from state ``source`` to state ``target``, or ``None`` if there is none."""
    return next((t for t in TRANSITIONS if source in t.sources and t.target == target), None)


def allowed_statuses(*, user, record: Record) -> list[str]:
    """The states ``user`` may give ``record``: its current one and those a transition allowed to ``user`` leads to, in :class:`Status` order."""
    reachable = {record.status} | {t.target for t in TRANSITIONS if t.check(user=user, record=record) is None}
    return [status for status in Status.values if status in reachable]


def check_status_change(*, user, record: Record, status: str):
    """``None`` if ``user`` may move ``record`` (as it is stored) to ``status``, else the reason why not."""
    if status == record.status:
        return None
    transition = transition_between(record.status, status)
    if transition is None:
        return _("A record cannot go from “%(current)s” to “%(target)s”.") % {
            "current": Status(record.status).label,
            "target": Status(status).label,
        }
    return transition.check(user=user, record=record)


def change_status(*, record: Record, user, status: str) -> Record:
    """Move ``record`` to ``status`` through the one allowed transition; ``TransitionRefused`` if there is none or it is not allowed."""
    transition = transition_between(record.status, status)
    if transition is None:
        raise TransitionRefused(check_status_change(user=user, record=record, status=status))
    return transition.execute(user=user, record=record)


@dataclass
class Plan:
    """What a bulk move would do: ``allowed`` [(record, outcome)] and ``refused`` [(record, reason)]."""

    transition: Transition
    allowed: list[tuple[Record, str]] = field(default_factory=list)
    refused: list[tuple[Record, str]] = field(default_factory=list)


def plan(transition: Transition, *, user, records: Iterable[Record]) -> Plan:
    """Sort ``records`` into those ``user`` may move with ``transition`` (and what will happen) and those not (and why); changes nothing."""
    result = Plan(transition)
    for record in records:
        reason = transition.check(user=user, record=record)
        if reason is None:
            result.allowed.append((record, transition.outcome(record)))
        else:
            result.refused.append((record, str(reason)))
    return result


def execute_many(transition: Transition, *, user, records: Iterable[Record]) -> tuple[list[Record], list[tuple[Record, str]]]:
    """Apply ``transition`` to every record ``user`` may move, in one transaction; returns (changed, [(refused, reason)])."""
    changed, refused = [], []
    with transaction.atomic():
        for record in records:
            try:
                changed.append(transition.execute(user=user, record=record))
            except TransitionRefused as refusal:
                refused.append((record, str(refusal.reason)))
    return changed, refused


# -- the work queue -----------------------------------------------------------------------------------------
def record_models() -> list[type[Record]]:
    """Every public record model (articles, partners, agreements, events, investments, aid projects, indicators)."""
    return [apps.get_model(label) for label in RECORDS]


def _has_field(name: str) -> Callable[[type[models.Model]], bool]:
    def applies(model: type[models.Model]) -> bool:
        return any(f.name == name for f in model._meta.get_fields())

    return applies


def _every_record(model: type[models.Model]) -> bool:
    return True


@dataclass(frozen=True)
class QueueSection:
    """One kind of waiting work: which records (``condition``), of which models (``applies``), listed in which order."""

    key: str
    title: Promise
    #: What the date shown beside each record means.
    date_label: Promise
    #: The date field shown and sorted on; "-" for newest first.
    order: str
    condition: Callable[[datetime.datetime], Q]
    applies: Callable[[type[models.Model]], bool] = _every_record

    @property
    def date_field(self) -> str:
        return self.order.lstrip("-")

    def filter(self, queryset: models.QuerySet, now: datetime.datetime | None = None) -> models.QuerySet:
        """The records of ``queryset`` in this section (never those in the trash)."""
        return queryset.filter(self.condition(now or timezone.now()), deleted_at__isnull=True)


QUEUE_SECTIONS: tuple[QueueSection, ...] = (
    QueueSection(
        "review",
        _("In review"),
        _("updated"),
        "-updated_at",
        lambda now: Q(status=Status.REVIEW),
    ),
    QueueSection(
        "old-drafts",
        _("Drafts older than 14 days"),
        _("created"),
        "created_at",
        lambda now: Q(status=Status.DRAFT, created_at__lt=now - STALE_DRAFT_AGE),
    ),
    QueueSection(
        "warnings",
        _("Imported articles with warnings"),
        _("updated"),
        "-updated_at",
        lambda now: ~Q(import_warnings=[]),
        _has_field("import_warnings"),
    ),
    QueueSection(
        "inferred",
        _("Imported articles with inferred facts"),
        _("updated"),
        "-updated_at",
        lambda now: ~Q(inference_note=""),
        _has_field("import_warnings"),
    ),
    QueueSection(
        "no-source",
        _("Published without a source"),
        _("updated"),
        "-updated_at",
        lambda now: Q(status=Status.PUBLISHED, source_links__isnull=True),
        _has_field("source_links"),
    ),
    QueueSection(
        "scheduled",
        _("Scheduled"),
        _("appears on"),
        "published_at",
        lambda now: Q(status=Status.PUBLISHED, published_at__gt=now),
    ),
)


def queue_section(key: str) -> QueueSection | None:
    return next((section for section in QUEUE_SECTIONS if section.key == key), None)


def _label(model: type[models.Model]):
    """An SQL expression naming a record in a list: its title or name; an indicator's metric and year."""
    names = {f.name for f in model._meta.concrete_fields}
    for name in ("title", "name"):
        if name in names:
            return Cast(F(name), CharField())
    return Concat(F("metric__name"), Value(" "), Cast(F("year"), CharField()), output_field=CharField())


@dataclass(frozen=True)
class QueueItem:
    model: type[models.Model]
    pk: int
    label: str
    date: datetime.datetime | None


@dataclass
class QueueResult:
    """A section of the work queue for one user: ``total``, per-model ``counts`` [(model, n)] and the first ``items``."""

    section: QueueSection
    total: int = 0
    counts: list[tuple[type[models.Model], int]] = field(default_factory=list)
    items: list[QueueItem] = field(default_factory=list)


def work_queue(*, user, now: datetime.datetime | None = None) -> list[QueueResult]:
    """The work waiting for ``user``, section by section, over the record models they may view.

    A fixed number of queries whatever the data: one for all counts, and one
    per section for its first :data:`QUEUE_LENGTH` records.
    """
    now = now or timezone.now()
    viewable = [model for model in record_models() if may(user, "view", model) or may(user, "change", model)]
    sections = [(section, [model for model in viewable if section.applies(model)]) for section in QUEUE_SECTIONS]
    sections = [(section, models_) for section, models_ in sections if models_]
    if not sections:
        return []
    by_label = {model._meta.label_lower: model for model in viewable}

    count_parts = [
        section.filter(model._default_manager.all(), now)
        .order_by()
        .annotate(queue_section=Value(section.key, output_field=CharField()), queue_kind=Value(model._meta.label_lower, output_field=CharField()))
        .values("queue_section", "queue_kind")
        .annotate(queue_count=Count("pk"))
        .values_list("queue_section", "queue_kind", "queue_count")
        for section, models_ in sections
        for model in models_
    ]
    counts: dict[tuple[str, str], int] = {}
    for key, kind, count in count_parts[0].union(*count_parts[1:], all=True):
        counts[key, kind] = count

    results = []
    for section, models_ in sections:
        result = QueueResult(section)
        result.counts = [(model, counts.get((section.key, model._meta.label_lower), 0)) for model in models_]
        result.total = sum(n for _model, n in result.counts)
        item_parts = [
            section.filter(model._default_manager.all(), now)
            .order_by()
            .annotate(
                queue_kind=Value(model._meta.label_lower, output_field=CharField()),
                queue_label=_label(model),
                queue_date=F(section.date_field),
            )
            .values_list("queue_kind", "pk", "queue_label", "queue_date")
            for model in models_
        ]
        rows = item_parts[0].union(*item_parts[1:], all=True).order_by(section.order.replace(section.date_field, "queue_date"), "queue_kind")
        result.items = [QueueItem(by_label[kind], pk, label, date) for kind, pk, label, date in rows[:QUEUE_LENGTH]]
        results.append(result)
    return results
