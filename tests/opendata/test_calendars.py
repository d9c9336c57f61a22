"""iCalendar feeds per partner (/partners/<slug>/events.ics) and per country (/countries/<code>/events.ics)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count

from cantho.models import Status
from events.models import Event
from partners.models import Partner
from tests.public.test_ical import feed


def summaries(client, url: str) -> list[str]:
    text, events = feed(client, url)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    return [event["SUMMARY"][1] for event in events]


def test_partner_calendar_has_the_partners_dated_published_events(seeded, client):
    partner = Partner.objects.published().annotate(n=Count("events")).filter(n__gt=0).order_by("-n").first()
    draft = Event.objects.create(title="Sự kiện nháp", kind=Event.Kind.OTHER, start_date=datetime.date(2024, 3, 1), status=Status.DRAFT)
    undated = Event.objects.create(title="Sự kiện chưa rõ ngày", kind=Event.Kind.OTHER, status=Status.PUBLISHED)
    draft.partners.add(partner)
    undated.partners.add(partner)
    expected = sorted(str(event) for event in Event.objects.published().dated().filter(partners=partner))
    assert expected
    assert sorted(summaries(client, f"/partners/{partner.slug}/events.ics")) == expected


def test_partner_calendar_is_linked_from_the_partner_page(seeded, client):
    partner = Partner.objects.published().first()
    html = client.get(partner.get_absolute_url()).content.decode()
    assert f'href="/partners/{partner.slug}/events.ics"' in html
    assert 'type="text/calendar"' in html


def test_english_partner_calendar_speaks_english(seeded, client):
    partner = Partner.objects.published().annotate(n=Count("events")).filter(n__gt=0).exclude(name_en="").first()
    text, events = feed(client, f"/en/partners/{partner.slug}/events.ics")
    assert f"X-WR-CALNAME:Cần Thơ's events with {partner.name_en}" in text.replace("\r\n ", "").replace("\\,", ",")
    assert all(event["URL"][1].startswith("http://testserver/en/events/") for event in events)


def test_calendar_of_an_unpublished_or_unknown_partner_is_404(seeded, client):
    draft = Partner.objects.create(name="Đối tác nháp", kind=Partner.Kind.NGO, status=Status.DRAFT)
    assert client.get(f"/partners/{draft.slug}/events.ics").status_code == 404
    assert client.get("/partners/khong-co/events.ics").status_code == 404


def test_country_calendar_has_events_held_there_or_with_its_partners(seeded, client):
    japanese = Partner.objects.published().filter(country="JP").values("pk")
    expected = Event.objects.published().dated().filter(country="JP") | Event.objects.published().dated().filter(partners__in=japanese)
    expected = sorted({str(event) for event in expected})
    assert expected
    assert sorted(summaries(client, "/countries/jp/events.ics")) == expected


def test_country_calendar_is_linked_from_the_country_page(seeded, client):
    html = client.get("/countries/jp/").content.decode()
    assert 'href="/countries/jp/events.ics"' in html


@pytest.mark.parametrize(("url", "status"), [("/countries/JP/events.ics", 301), ("/countries/zz/events.ics", 404), ("/countries/j1/events.ics", 404)])
def test_country_calendar_bad_codes(seeded, client, url, status):
    assert client.get(url).status_code == status


def test_country_without_events_gives_an_empty_calendar(seeded, client):
    assert summaries(client, "/countries/us/events.ics") == []
