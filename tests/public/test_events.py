"""Public event pages: the list by month, the month calendar and the event page."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.utils import timezone, translation

from cantho.models import Field, Status
from events.models import Event, EventSource
from events.views import group_by_month, month_grid
from news.models import Article
from partners.models import Partner

CEREMONY = "Lễ kỷ niệm 20 năm thành lập thành phố Cần Thơ trực thuộc Trung ương"
CEREMONY_EN = "Ceremony marking 20 years of Cần Thơ as a centrally governed city"


def make_event(**values) -> Event:
    values.setdefault("kind", Event.Kind.CONFERENCE)
    values.setdefault("status", Status.PUBLISHED)
    return Event.objects.create(**values)


def jsonld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# -- the list -----------------------------------------------------------------------------------


def test_list_shows_seeded_events_grouped_by_month_newest_first(client, seeded):
    html = page(client, "/events/")
    assert CEREMONY in html and "Sự kiện ITEC Day 2021" in html
    assert '<h2 id="m-2023-12">12/2023</h2>' in html
    # newest first: December 2023, then the years whose month is not known, undated last
    assert html.index('id="m-2023-12"') < html.index('id="m-2022"') < html.index('id="m-2021"') < html.index('id="m-2017"') < html.index('id="undated"')
    assert html.index('id="undated"') < html.index("Ngày Indonesia tại thành phố Cần Thơ")


def test_english_list_has_english_titles_and_month_names(client, seeded):
    html = page(client, "/en/events/")
    assert CEREMONY_EN in html and "ITEC Day 2021" in html
    assert "December 2023</h2>" in html and "31 December 2023" in html
    assert "2021, month not known</h2>" in html and "Date not known</h2>" in html


def test_list_shows_dates_place_kind_and_partners(client, seeded):
    html = page(client, "/en/events/")
    mofa = Partner.objects.get(seed_key="partner.mofa-vietnam")
    assert f'href="/en/partners/{mofa.slug}/"' in html
    assert "Online" in html  # ITEC Day 2021 was held online
    assert "Ceremony or anniversary" in html


def test_group_by_month_keys():
    events = [
        Event(start_date=datetime.date(2024, 5, 6), date_precision="day"),
        Event(start_date=datetime.date(2024, 5, 1), date_precision="month"),
        Event(start_date=datetime.date(2024, 1, 1), date_precision="year"),
        Event(start_date=None),
    ]
    assert [g.key for g in group_by_month(events)] == [(2024, 5), (2024, None), None]
    assert [len(g.events) for g in group_by_month(events)] == [2, 1, 1]


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ("kind=ceremony", [CEREMONY], ["Sự kiện ITEC Day 2021"]),
        ("country=CN", ["Trung Quốc (6/5 - 10/5)"], [CEREMONY]),
        ("year=2021", ["Sự kiện ITEC Day 2021"], [CEREMONY, "Ngày Indonesia"]),
        ("year=2023&kind=ceremony", [CEREMONY], ["Lễ kỷ niệm 45 năm"]),
    ],
)
def test_list_filters_narrow(client, seeded, query, included, excluded):
    html = page(client, f"/events/?{query}")
    for text in included:
        assert text in html
    for text in excluded:
        assert text not in html


def test_list_filters_by_partner_slug(client, seeded):
    partner = Partner.objects.get(seed_key="partner.cantho-union-of-friendship-organisations")
    response = client.get("/events/", {"partner": partner.slug})
    titles = {e.title for e in response.context["object_list"]}
    assert "Sự kiện ITEC Day 2021" in titles and CEREMONY + " (1/1/2004 - 1/1/2024)" not in titles
    assert all(partner in e.partners.all() for e in response.context["object_list"])


def test_filter_choices_come_from_published_events_only(client, seeded):
    make_event(title="Nháp ở Pháp", country="FR", start_date=datetime.date(1999, 1, 1), status=Status.DRAFT)
    form = client.get("/events/").context["filter"].form
    assert "FR" not in dict(form.fields["country"].choices)
    assert "1999" not in dict(form.fields["year"].choices)
    assert "CN" in dict(form.fields["country"].choices) and "2023" in dict(form.fields["year"].choices)


def test_drafts_and_scheduled_events_never_listed_or_counted(client, seeded):
    before = client.get("/events/").context["paginator"].count
    make_event(title="Sự kiện nháp bí mật", start_date=datetime.date(2023, 12, 30), status=Status.DRAFT)
    make_event(title="Sự kiện hẹn giờ bí mật", start_date=datetime.date(2023, 12, 29), published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/events/")
    assert response.context["paginator"].count == before
    assert "bí mật" not in response.content.decode()


def test_draft_partner_is_never_named_on_an_event(client, seeded):
    secret = Partner.objects.create(name="Đối tác nháp bí mật", kind="ngo", status=Status.DRAFT)
    event = Event.objects.get(seed_key="event.cantho-20th-anniversary-ceremony")
    event.partners.add(secret)
    assert "bí mật" not in page(client, "/events/")
    assert "bí mật" not in page(client, event.get_absolute_url())
    assert secret.slug not in dict(client.get("/events/").context["filter"].form.fields["partner"].choices).values()


@pytest.mark.parametrize(
    "query",
    [
        "kind=zzz",
        "country=ZZ",
        "year=-1",
        "year=99999999999999999999999",
        "partner=no-such-partner",
        "page=abc",
        "page=-5",
        "page=99999999",
        "kind=%00%01",
        "partner=%00",
        "country=%0d%0aSet-Cookie:x",
        "year=" + "9" * 5000,
        "q=" + "x" * 10000,
        "kind[]=a&kind=b",
    ],
)
def test_bad_query_strings_never_fail(client, seeded, query):
    for prefix in ("", "/en"):
        assert client.get(f"{prefix}/events/?{query}").status_code == 200


def test_bad_filter_values_are_shown_as_errors_and_ignored(client, seeded):
    response = client.get("/events/?country=ZZ&kind=ceremony")
    assert response.context["filter"].form.errors.get("country")
    assert {e.kind for e in response.context["object_list"]} == {"ceremony"}


# -- the calendar -------------------------------------------------------------------------------


def test_calendar_december_2023_shows_the_ceremony_on_day_31(client, seeded):
    response = client.get("/events/calendar/2023/12/")
    assert response.status_code == 200
    (day31,) = [cell for week in response.context["weeks"] for cell in week if cell.in_month and cell.date.day == 31]
    assert [e.seed_key for e in day31.events] == ["event.cantho-20th-anniversary-ceremony"]
    html = response.content.decode()
    cell = re.search(r'<span class="day-number">31</span>(.*?)</td>', html, re.S).group(1)
    assert CEREMONY in cell
    assert 'href="/events/calendar/2023/11/"' in html and 'href="/events/calendar/2024/1/"' in html
    assert "12/2023" in html


def test_calendar_weeks_start_on_monday(client, seeded):
    response = client.get("/en/events/calendar/2023/12/")
    weeks = response.context["weeks"]
    assert all(week[0].date.weekday() == 0 and len(week) == 7 for week in weeks)
    assert weeks[0][4].date == datetime.date(2023, 12, 1)  # a Friday
    html = response.content.decode()
    assert html.index(">Mon<") < html.index(">Sun<")
    assert "December 2023" in html


def test_calendar_index_redirects_to_the_newest_month_with_events(client, seeded):
    response = client.get("/events/calendar/")
    assert response.status_code == 302
    assert response["Location"] == "/events/calendar/2023/12/"


def test_calendar_index_redirects_to_this_month_when_events_are_ahead(client, seeded):
    today = timezone.localdate()
    make_event(title="Sắp tới", start_date=today + datetime.timedelta(days=400))
    response = client.get("/en/events/calendar/")
    assert response["Location"] == f"/en/events/calendar/{today.year}/{today.month}/"


def test_calendar_multi_day_and_month_precise_events(client, seeded):
    week = make_event(title="Tuần lễ văn hóa", start_date=datetime.date(2024, 4, 29), end_date=datetime.date(2024, 5, 2))
    may = make_event(title="Hội thảo tháng năm", start_date=datetime.date(2024, 5, 1), date_precision="month")
    spanning = make_event(title="Triển lãm ba tháng", start_date=datetime.date(2024, 4, 1), end_date=datetime.date(2024, 6, 1), date_precision="month")
    make_event(title="Năm 2024", start_date=datetime.date(2024, 1, 1), date_precision="year")
    response = client.get("/events/calendar/2024/5/")
    days = {cell.date: cell.events for w in response.context["weeks"] for cell in w if cell.in_month}
    assert [d.day for d, events in days.items() if week in events] == [1, 2]
    assert response.context["day_unknown"] == [spanning, may]
    html = response.content.decode()
    assert "Năm 2024" not in html  # a year-precise event has no place in a month
    april = client.get("/events/calendar/2024/4/")
    assert [c.date.day for w in april.context["weeks"] for c in w if c.in_month and week in c.events] == [29, 30]
    assert spanning in april.context["day_unknown"]


def test_month_grid_leaves_other_months_days_empty():
    event = Event(pk=1, title="x", start_date=datetime.date(2024, 4, 29), end_date=datetime.date(2024, 5, 2), date_precision="day")
    weeks, unknown = month_grid(2024, 5, [event])
    filled = [cell.date for week in weeks for cell in week if cell.events]
    assert filled == [datetime.date(2024, 5, 1), datetime.date(2024, 5, 2)] and unknown == []


def test_calendar_links_to_nearest_months_with_events(client, seeded):
    response = client.get("/events/calendar/2025/6/")
    assert response.context["nearest"]["before"]["url"] == "/events/calendar/2023/12/"
    assert response.context["nearest"]["after"] is None
    assert response.context["has_events"] is False


def test_calendar_never_shows_drafts(client, seeded):
    make_event(title="Nháp bí mật", start_date=datetime.date(2023, 12, 31), status=Status.DRAFT)
    make_event(title="Hẹn giờ bí mật", start_date=datetime.date(2023, 12, 31), published_at=timezone.now() + datetime.timedelta(hours=1))
    assert "bí mật" not in page(client, "/events/calendar/2023/12/")


@pytest.mark.parametrize(
    "url",
    [
        "/events/calendar/2024/13/",
        "/events/calendar/2024/0/",
        "/events/calendar/0/1/",
        "/events/calendar/1/1/",
        "/events/calendar/9999/12/",
        "/events/calendar/99999999999999999999999/1/",
        "/events/calendar/2024/99999999999999999999/",
        "/en/events/calendar/2024/13/",
    ],
)
def test_calendar_out_of_range_is_404(client, seeded, url):
    assert client.get(url).status_code == 404


def test_calendar_edge_months_render(client, seeded):
    assert client.get("/events/calendar/2/1/").status_code == 200
    assert client.get("/events/calendar/9998/12/").status_code == 200


# -- the event page -----------------------------------------------------------------------------


def test_event_page_shows_facts_sources_and_jsonld(client, seeded):
    event = Event.objects.get(seed_key="event.cantho-20th-anniversary-ceremony")
    html = page(client, event.get_absolute_url())
    assert html.count("<h1") == 1 and CEREMONY in html
    assert "31/12/2023" in html
    assert "Võ Văn Thưởng" in html  # the description
    assert 'class="sources"' in html and "<blockquote" in html
    assert f'href="/events/{event.slug}.ics"' in html
    data = jsonld(html)
    assert data["@type"] == "Event" and data["startDate"] == "2023-12-31" and "endDate" not in data
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["organizer"]["name"]


def test_english_event_page(client, seeded):
    event = Event.objects.get(seed_key="event.china-delegation-6-10-may")
    html = page(client, "/en" + event.get_absolute_url())
    assert "Trần Việt Trường visits China" in html
    assert "Head of delegation" in html and "Ông Trần Việt Trường" in html
    assert "China" in html and "Not known" in html
    # its source article is a draft: named by its source only, never linked
    assert "/news/" not in re.search(r'<section class="sources".*?</section>', html, re.S).group(0)
    data = jsonld(html)
    assert "startDate" not in data
    assert data["location"] == {"@type": "Place", "name": event.place, "address": {"@type": "PostalAddress", "addressCountry": "CN"}}
    with translation.override("en"):
        assert [a["name"] for a in data["attendee"]] == [str(p) for p in Event.objects.for_listing().get(pk=event.pk).partners.all()]
    assert f"/events/{event.slug}.ics" not in html  # no date, no calendar file


def test_event_jsonld_month_precise_and_online(client, seeded):
    event = make_event(
        title="Hội thảo trực tuyến", start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 6, 1), date_precision="month", is_online=True
    )
    data = jsonld(page(client, event.get_absolute_url()))
    assert data["startDate"] == "2024-05" and data["endDate"] == "2024-06"
    assert data["location"]["@type"] == "VirtualLocation"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_year_precise_event_page_shows_the_year_only(client, seeded):
    event = Event.objects.get(seed_key="event.itec-day-2021")
    html = page(client, "/en" + event.get_absolute_url())
    assert "<dd>2021 " in html or "<dd>2021<" in html
    assert jsonld(html)["startDate"] == "2021"


def test_draft_or_scheduled_event_page_is_404(client, seeded):
    draft = make_event(title="Nháp", start_date=datetime.date(2023, 1, 1), status=Status.DRAFT)
    scheduled = make_event(title="Hẹn giờ", published_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get("/events/no-such-event/").status_code == 404


# -- query counts -------------------------------------------------------------------------------


def _partners(count: int, prefix: str = "doi-tac-perf") -> list[Partner]:
    """Partners, every fourth a draft."""
    now = timezone.now()
    return Partner.objects.bulk_create(
        [
            Partner(name=f"Đối tác {prefix} {i}", slug=f"{prefix}-{i}", kind="ngo", status=Status.PUBLISHED if i % 4 else Status.DRAFT, published_at=now)
            for i in range(count)
        ]
    )


def _articles(count: int, prefix: str = "bai-perf") -> list[Article]:
    """Articles, every third a draft."""
    now = timezone.now()
    return Article.objects.bulk_create(
        [
            Article(title=f"Bài {prefix} {i}", slug=f"{prefix}-{i}", status=Status.PUBLISHED if i % 3 else Status.DRAFT, published_at=now, dateline=now)
            for i in range(count)
        ]
    )


def populate(count: int, month: tuple[int, int] | None = None) -> list[Event]:
    """``count`` published events linked to partners (some drafts), fields and source articles."""
    now = timezone.now()
    partners, articles = _partners(8), _articles(4)
    fields = list(Field.objects.all()[:3])

    def day(i: int) -> datetime.date:
        if month:
            return datetime.date(*month, 1 + i % 28)
        return datetime.date(2030 + i // 300, 1 + (i // 25) % 12, 1 + i % 28)

    events = Event.objects.bulk_create(
        [
            Event(
                title=f"Sự kiện {i}",
                slug=f"su-kien-perf-{i}",
                kind=Event.Kind.CONFERENCE,
                start_date=day(i),
                end_date=day(i) + datetime.timedelta(days=i % 3),
                date_precision="month" if i % 10 == 0 else "day",
                country="JP",
                status=Status.PUBLISHED,
                published_at=now,
            )
            for i in range(count)
        ]
    )
    Event.partners.through.objects.bulk_create([Event.partners.through(event=e, partner=partners[(i + k) % 8]) for i, e in enumerate(events) for k in range(2)])
    Event.fields.through.objects.bulk_create([Event.fields.through(event=e, field=f) for e in events for f in fields])
    EventSource.objects.bulk_create([EventSource(event=e, article=articles[i % 4], quote="…") for i, e in enumerate(events)])
    return events


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize(("url", "queries"), [("/events/", 8), ("/en/events/?kind=conference&country=JP&year=2030", 8), ("/events/?partner=doi-tac-perf-1", 9)])
def test_list_query_count_does_not_grow(client, seeded, django_assert_num_queries, django_assert_max_num_queries, count, url, queries):
    populate(count)
    with django_assert_max_num_queries(queries):  # with the partner count, kinds and years made (cached afterwards)
        response = client.get(url)
    with django_assert_max_num_queries(queries - 1):
        client.get(url)
    shown = len(response.context["object_list"])
    assert response.status_code == 200 and (shown == 20 or "partner" in url and shown > 0)


@pytest.mark.parametrize("count", [20, 2000])
def test_calendar_query_count_does_not_grow(client, seeded, django_assert_num_queries, count):
    populate(count, month=(2030, 5))
    # the events, the nearest earlier and later months, and the longest event (cached until the next change)
    with django_assert_num_queries(4):
        response = client.get("/events/calendar/2030/5/")
    assert len(response.context["dated"]) + len(response.context["day_unknown"]) == count
    with django_assert_num_queries(3):
        client.get("/events/calendar/2030/5/")


def test_a_long_event_shows_in_every_month_it_spans_even_right_after_it_was_saved(client, seeded):
    """The calendar reads only events starting at most the longest event's span before the month."""
    assert "Hội chợ dài ngày" not in page(client, "/events/calendar/2031/3/")
    event = Event.objects.create(
        title="Hội chợ dài ngày",
        kind=Event.Kind.TRADE_FAIR,
        start_date=datetime.date(2029, 11, 20),
        end_date=datetime.date(2031, 3, 2),
        status=Status.PUBLISHED,
    )
    for month in ("2029/11", "2030/6", "2031/3"):
        assert "Hội chợ dài ngày" in page(client, f"/events/calendar/{month}/"), month
    assert "Hội chợ dài ngày" not in page(client, "/events/calendar/2031/4/")
    april = client.get("/events/calendar/2031/4/")
    assert april.context["nearest"]["before"]["url"] == "/events/calendar/2031/3/"
    event.end_date = datetime.date(2029, 11, 21)
    event.save()
    assert "Hội chợ dài ngày" not in page(client, "/events/calendar/2030/6/")


@pytest.mark.parametrize("count", [20, 2000])
def test_detail_query_count_does_not_grow(client, seeded, django_assert_num_queries, count):
    event = populate(1)[0]
    partners, articles = _partners(count, "linked"), _articles(count, "linked")
    event.partners.add(*partners)
    EventSource.objects.bulk_create([EventSource(event=event, article=a, quote="…") for a in articles])
    with django_assert_num_queries(4):
        response = client.get(event.get_absolute_url())
    html = response.content.decode()
    published = sum(1 for p in partners if p.status == Status.PUBLISHED)
    # each published partner twice (the facts and the JSON-LD), never a draft
    assert html.count("/partners/linked-") == 2 * published
    assert html.count('<a href="/news/linked-') == sum(1 for a in articles if a.status == Status.PUBLISHED)


def test_with_more_partners_than_a_select_can_hold_only_the_chosen_one_is_offered(client, seeded, monkeypatch):
    import cantho.filters
    from tests.public.test_partners import select_options

    monkeypatch.setattr(cantho.filters, "MAX_SELECT_OPTIONS", 3)
    events = populate(6)  # each with two of eight partners
    html = page(client, "/events/")
    options = select_options(html, "partner")
    assert options == ["Tất cả đối tác", "Đối tác khác: trang của từng đối tác trong danh bạ liệt kê các sự kiện của đối tác đó"]
    assert re.search(r"<option value=\"\" disabled[^>]*>Đối tác khác", html) or re.search(r"<option[^>]*disabled[^>]*>Đối tác khác", html)
    chosen = events[0].partners.filter(status=Status.PUBLISHED).first()
    response = client.get(f"/events/?partner={chosen.slug}")
    html = response.content.decode()
    assert select_options(html, "partner")[:2] == ["Tất cả đối tác", str(chosen)]
    assert re.search(rf'<option value="{chosen.slug}" selected>', html)
    shown = {event.pk for event in response.context["object_list"]}
    assert shown and shown == set(Event.objects.published().filter(partners=chosen).values_list("pk", flat=True))
