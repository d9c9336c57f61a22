"""The iCalendar writer (events/ical.py) and the feeds /events/feed.ics and /events/<slug>.ics."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cantho.models import Status
from events import ical
from events.models import Event

TRICKY = "Họp mặt, ký kết; thư mục C:\\dữ liệu\nngày 2"


# -- a tiny reader, enough to check what the feed says ------------------------------------------


def parse(text: str) -> list[dict[str, tuple[str, str]]]:
    """The VEVENTs of an iCalendar text: {NAME: (parameters, value)} each, values unescaped for TEXT."""
    events, current = [], None
    for line in ical.unfold(text):
        name_part, _, value = line.partition(":")
        name, _, params = name_part.partition(";")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            if name in {"SUMMARY", "DESCRIPTION", "LOCATION", "UID"}:
                value = ical.unescape_text(value)
            current[name] = (params, value)
    return events


def feed(client, url="/events/feed.ics") -> tuple[str, list[dict]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode("utf-8")
    return text, parse(text)


def make_event(**values) -> Event:
    values.setdefault("kind", Event.Kind.CONFERENCE)
    values.setdefault("status", Status.PUBLISHED)
    return Event.objects.create(**values)


# -- the writer ---------------------------------------------------------------------------------


def test_escape_text_round_trips_backslash_semicolon_comma_and_newline():
    escaped = ical.escape_text(TRICKY)
    assert escaped == "Họp mặt\\, ký kết\\; thư mục C:\\\\dữ liệu\\nngày 2"
    assert ical.unescape_text(escaped) == TRICKY


def test_escape_text_drops_control_characters_and_normalises_line_ends():
    assert ical.escape_text("a\x00b\x07c\r\nd\re") == "abc\\nd\\ne"


def test_fold_line_keeps_every_line_within_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "Lễ kỷ niệm 20 năm thành lập thành phố Cần Thơ trực thuộc Trung ương " * 4
    folded = ical.fold_line(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert ical.unfold(folded + "\r\n") == [line]


def test_short_lines_are_not_folded():
    assert ical.fold_line("VERSION:2.0") == "VERSION:2.0"


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected"),
    [
        ("2023-12-31", None, "day", ("2023-12-31", "2024-01-01")),
        ("2024-05-06", "2024-05-10", "day", ("2024-05-06", "2024-05-11")),
        ("2024-05-01", None, "month", ("2024-05-01", "2024-06-01")),
        ("2024-12-01", None, "month", ("2024-12-01", "2025-01-01")),
        ("2024-11-01", "2025-02-01", "month", ("2024-11-01", "2025-03-01")),
        ("2021-01-01", None, "year", ("2021-01-01", "2022-01-01")),
    ],
)
def test_all_day_span_ends_the_day_after_at_the_known_precision(start, end, precision, expected):
    parse_date = datetime.date.fromisoformat
    span = ical.all_day_span(parse_date(start), parse_date(end) if end else None, precision)
    assert span == tuple(parse_date(day) for day in expected)


def test_build_calendar_has_the_calendar_properties_and_crlf_everywhere():
    event = ical.CalendarEvent(
        uid="event-1@example.org",
        stamp=datetime.datetime(2024, 1, 2, 10, 0, tzinfo=datetime.UTC),
        start=datetime.date(2024, 5, 1),
        end=None,
        precision="month",
        summary=TRICKY,
    )
    text = ical.build_calendar([event], name="Sự kiện", prodid="-//Test//Test//VI")
    assert text.startswith("BEGIN:VCALENDAR\r\nPRODID:-//Test//Test//VI\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTAMP:20240102T100000Z\r\n" in text
    (parsed,) = parse(text)
    assert parsed["SUMMARY"][1] == TRICKY
    assert parsed["DTSTART"] == ("VALUE=DATE", "20240501")
    assert parsed["DTEND"] == ("VALUE=DATE", "20240601")


# -- the feeds ----------------------------------------------------------------------------------


def test_feed_has_one_vevent_per_dated_published_event(client, seeded):
    text, events = feed(client)
    dated = Event.objects.published().dated()
    assert len(events) == dated.count() > 0
    assert {e["UID"][1] for e in events} == {f"event-{pk}@testserver" for pk in dated.values_list("pk", flat=True)}
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "CALSCALE:GREGORIAN"]:
        assert f"\r\n{line}\r\n" in "\r\n" + text
    assert "X-WR-CALNAME:" in text and "PRODID:" in text


def test_feed_lines_are_crlf_and_at_most_75_octets(client, seeded):
    text, _ = feed(client)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75


def test_feed_anniversary_ceremony_is_an_all_day_event_ending_the_next_day(client, seeded):
    _, events = feed(client)
    (ceremony,) = [e for e in events if e["SUMMARY"][1].startswith("Lễ kỷ niệm 20 năm thành lập thành phố Cần Thơ")]
    assert ceremony["DTSTART"] == ("VALUE=DATE", "20231231")
    assert ceremony["DTEND"] == ("VALUE=DATE", "20240101")
    assert ceremony["URL"][1].startswith("http://testserver/events/le-ky-niem-20-nam")
    assert ceremony["DTSTAMP"][1].endswith("Z")


def test_feed_year_precise_event_says_the_day_is_not_known(client, seeded):
    _, events = feed(client, "/en/events/feed.ics")
    (itec,) = [e for e in events if e["SUMMARY"][1] == "ITEC Day 2021"]
    assert itec["DTSTART"] == ("VALUE=DATE", "20210101")
    assert itec["DTEND"] == ("VALUE=DATE", "20220101")
    assert "(date within the year not known)" in itec["DESCRIPTION"][1]


def test_feed_month_precise_event_spans_the_month_and_says_so(client, seeded):
    event = make_event(title="Hội thảo tháng năm", title_en="May workshop", start_date=datetime.date(2024, 5, 17), date_precision="month")
    _, events = feed(client, "/en/events/feed.ics")
    (found,) = [e for e in events if e["UID"][1] == f"event-{event.pk}@testserver"]
    assert found["SUMMARY"][1] == "May workshop"
    assert found["DTSTART"] == ("VALUE=DATE", "20240501")
    assert found["DTEND"] == ("VALUE=DATE", "20240601")
    assert "(date within the month not known)" in found["DESCRIPTION"][1]


def test_feed_escaping_round_trips(client, seeded):
    event = make_event(title=TRICKY, start_date=datetime.date(2024, 6, 1), end_date=datetime.date(2024, 6, 3), place="Cần Thơ; Hậu Giang, VN")
    _, events = feed(client)
    (found,) = [e for e in events if e["UID"][1] == f"event-{event.pk}@testserver"]
    assert found["SUMMARY"][1] == TRICKY
    assert found["LOCATION"][1] == "Cần Thơ; Hậu Giang, VN"
    assert found["DTEND"] == ("VALUE=DATE", "20240604")


def test_feed_never_has_drafts_scheduled_or_undated_events(client, seeded):
    draft = make_event(title="Sự kiện nháp", start_date=datetime.date(2023, 12, 30), status=Status.DRAFT)
    scheduled = make_event(title="Sự kiện hẹn giờ", start_date=datetime.date(2023, 12, 29), published_at=timezone.now() + datetime.timedelta(days=3))
    undated = make_event(title="Sự kiện không ngày")
    text, events = feed(client)
    uids = {e["UID"][1] for e in events}
    for event in (draft, scheduled, undated):
        assert f"event-{event.pk}@testserver" not in uids
    assert "nháp" not in text and "hẹn giờ" not in text


def test_event_ics_is_an_attachment_with_one_event(client, seeded):
    event = Event.objects.published().get(seed_key="event.cantho-20th-anniversary-ceremony")
    response = client.get(f"/events/{event.slug}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    events = parse(response.content.decode())
    assert len(events) == 1 and events[0]["DTSTART"] == ("VALUE=DATE", "20231231")


def test_event_ics_is_404_for_drafts_and_undated_events(client, seeded):
    draft = make_event(title="Sự kiện nháp", start_date=datetime.date(2023, 12, 30), status=Status.DRAFT)
    undated = Event.objects.published().get(seed_key="event.indonesia-day-cantho")
    assert client.get(f"/events/{draft.slug}.ics").status_code == 404
    assert client.get(f"/events/{undated.slug}.ics").status_code == 404
    assert client.get("/events/no-such-event.ics").status_code == 404


@pytest.mark.parametrize("count", [20, 2000])
def test_feed_query_count_does_not_grow(client, seeded, django_assert_num_queries, count):
    Event.objects.bulk_create(
        [
            Event(
                title=f"Sự kiện {i}",
                slug=f"su-kien-ical-{i}",
                kind=Event.Kind.CONFERENCE,
                start_date=datetime.date(2022, 1 + i % 12, 1 + i % 28),
                status=Status.PUBLISHED,
                published_at=timezone.now(),
            )
            for i in range(count)
        ]
    )
    with django_assert_num_queries(1):
        _, events = feed(client)
    assert len(events) >= count
