"""A small iCalendar (RFC 5545) writer for the events feed.

Only what the portal needs: one VCALENDAR of all-day VEVENTs. Text values are
escaped (RFC 5545 §3.3.11), content lines end in CRLF and are folded at 75
octets without splitting a UTF-8 character (§3.1). Dates known only to the
month (or the year) become an all-day span over the whole month (or year), and
the description says that the day is not known.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cantho.dates import DatePrecision

CRLF = "\r\n"
MAX_OCTETS = 75
# Control characters are not allowed in iCalendar text (HTAB is, but a tab is harmless as a space).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    r"""Escape a TEXT value: ``\`` ``;`` ``,`` and newlines (``\n``); drop control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def unescape_text(value: str) -> str:
    r"""The inverse of :func:`escape_text` (``\n`` or ``\N`` is a newline)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def fold_line(line: str) -> str:
    """Fold one content line into CRLF-separated pieces of at most 75 octets (continuations start with a space)."""
    pieces: list[str] = []
    current, size = "", 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def unfold(text: str) -> list[str]:
    """The content lines of an iCalendar text, unfolded (for reading a feed back, e.g. in tests)."""
    return [line for line in re.sub(r"\r\n[ \t]", "", text).split("\r\n") if line]


def date_value(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def utc_stamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _first_of_next_month(value: datetime.date) -> datetime.date:
    return (value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def all_day_span(start: datetime.date, end: datetime.date | None, precision: str) -> tuple[datetime.date, datetime.date]:
    """DTSTART and the exclusive DTEND of an all-day event at its known precision.

    A day-precise event ends the day after its last day; a month-precise one on
    the 1st of the month after its last month; a year-precise one on 1 January
    of the year after.
    """
    last = end if end and end >= start else start
    if precision == DatePrecision.MONTH:
        return start.replace(day=1), _first_of_next_month(last)
    if precision == DatePrecision.YEAR:
        return start.replace(month=1, day=1), datetime.date(last.year + 1, 1, 1)
    return start, last + datetime.timedelta(days=1)


@dataclass(frozen=True)
class CalendarEvent:
    """What one VEVENT says, already in the language of the feed."""

    uid: str
    stamp: datetime.datetime
    start: datetime.date
    end: datetime.date | None
    precision: str
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()


def precision_note(precision: str) -> str:
    """The sentence added to the description of an event whose day is not known."""
    if precision == DatePrecision.MONTH:
        return _("(date within the month not known)")
    if precision == DatePrecision.YEAR:
        return _("(date within the year not known)")
    return ""


def vevent_lines(event: CalendarEvent) -> list[str]:
    """The unfolded content lines of one VEVENT."""
    start, end = all_day_span(event.start, event.end, event.precision)
    description = "\n\n".join(part for part in (event.description.strip(), precision_note(event.precision)) if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"DTSTART;VALUE=DATE:{date_value(start)}",
        f"DTEND;VALUE=DATE:{date_value(end)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    if event.url:
        lines.append(f"URL:{_CONTROL.sub('', event.url)}")
    lines.append("TRANSP:TRANSPARENT")
    lines.append("END:VEVENT")
    return lines


def build_calendar(events: Iterable[CalendarEvent], *, name: str, prodid: str) -> str:
    """A complete VCALENDAR: CRLF line ends, every line folded at 75 octets."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{prodid}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    for event in events:
        lines.extend(vevent_lines(event))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)
