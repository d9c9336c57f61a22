"""``{% work_queue as sections %}``: the staff work queue on the admin home page (see :func:`cantho.publishing.work_queue`)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import NoReverseMatch, reverse

from cantho.publishing import QueueItem, QueueResult, work_queue

register = template.Library()


@dataclass
class Link:
    text: str
    url: str | None
    count: int = 0
    date: object = None
    kind: str = ""


def _admin_url(model, view: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:  # not registered in the admin
        return None


@dataclass
class Section:
    """A work-queue section ready to show: its records and, per kind of record, a link to the filtered list."""

    key: str
    title: str
    date_label: str
    total: int
    items: list[Link]
    lists: list[Link]

    @classmethod
    def of(cls, result: QueueResult) -> Section:
        section = result.section

        def item(entry: QueueItem) -> Link:
            return Link(entry.label, _admin_url(entry.model, "change", entry.pk), date=entry.date, kind=entry.model._meta.verbose_name)

        lists = []
        for model, count in result.counts:
            url = _admin_url(model, "changelist")
            if count and url:
                lists.append(Link(str(model._meta.verbose_name_plural), f"{url}?queue={section.key}", count))
        return cls(section.key, str(section.title), str(section.date_label), result.total, [item(entry) for entry in result.items], lists)


@register.simple_tag(takes_context=True)
def work_queue_sections(context) -> list[Section]:
    """The sections of the work queue for the logged-in user (empty sections included, with a count of 0)."""
    request = context.get("request")
    if request is None or not request.user.is_active or not request.user.is_staff:
        return []
    return [Section.of(result) for result in work_queue(user=request.user)]
