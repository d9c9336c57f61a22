"""The work queue on the admin home page: what waits for staff, counted, linked, in a fixed number of queries."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone, translation

from cantho import publishing
from cantho.models import Indicator, Status
from events.models import Event
from news.models import Article
from partners.models import Partner, PartnerSource
from tests.admin.helpers import admin_url, article, event, indicator, partner

pytestmark = pytest.mark.django_db

#: Queries of the admin home page for a Publisher: session, user, the user's permissions (2),
#: the recent actions, then the work queue's own: one for every count and one per section.
INDEX_QUERIES = 5 + 1 + len(publishing.QUEUE_SECTIONS)


@pytest.fixture(autouse=True)
def english():
    """The assertions read the English source texts, so pages are asked for under /en/."""
    with translation.override("en"):
        yield


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def touch(record, **values):
    """Set bookkeeping dates (``updated_at``, ``created_at``) that ``save()`` would overwrite."""
    type(record)._base_manager.filter(pk=record.pk).update(**values)


@pytest.fixture
def waiting():
    """One or two records in each section of the queue, and records that belong in none."""
    records = {
        "partner in review": partner(fields=[], status=Status.REVIEW, name="Tỉnh Okayama"),
        "article in review": article(status=Status.REVIEW, title="Hội nghị xúc tiến đầu tư Nhật Bản – Mekong"),
        "indicator in review": indicator(status=Status.REVIEW, year=2018),
        "old draft": event(partners=[], status=Status.DRAFT, title="Ngày Indonesia"),
        "new draft": partner(fields=[], status=Status.DRAFT, name="Bản nháp mới"),
        "article with warnings": article(status=Status.DRAFT, title="Bài chưa có ngày", import_warnings=["No date found."]),
        "article with inferred facts": article(status=Status.PUBLISHED, title="Bài có suy luận", inference_note="The year is inferred."),
        "published without source": partner(fields=[], status=Status.PUBLISHED, name="Tổ chức Blue Dragon"),
        "published with source": partner(fields=[], status=Status.PUBLISHED, name="Thành phố Sán Đầu"),
        "scheduled": event(partners=[], status=Status.PUBLISHED, title="Ngày ITEC 2031", published_at=timezone.now() + datetime.timedelta(days=3)),
        "in the trash": partner(fields=[], status=Status.REVIEW, name="Đối tác trong thùng rác"),
    }
    touch(records["partner in review"], updated_at=days_ago(2))
    touch(records["article in review"], updated_at=days_ago(1))
    touch(records["indicator in review"], updated_at=days_ago(3))
    touch(records["old draft"], created_at=days_ago(20))
    touch(records["new draft"], created_at=days_ago(13))
    touch(records["in the trash"], deleted_at=timezone.now())
    PartnerSource.objects.create(partner=records["published with source"], article=records["article with inferred facts"], quote="…")
    return records


def section_html(page: str, key: str) -> str:
    match = re.search(rf'<section class="queue-section" id="queue-{key}".*?</section>', page, re.S)
    assert match, f"no section {key}"
    return unescape(match.group(0))


def listed(html: str) -> list[str]:
    """The record names linked in a section's list, in order."""
    return [unescape(text) for text in re.findall(r'<li><a href="[^"]+">([^<]+)</a>', html)]


def count_of(html: str) -> int:
    return int(re.search(r'class="queue-count[^"]*">(\d+)<', html).group(1))


def test_each_section_lists_its_records_with_a_count(publisher_client, waiting):
    page = publisher_client.get("/en/admin/").content.decode()
    assert "Work queue" in page
    review = section_html(page, "review")
    assert count_of(review) == 3
    assert listed(review) == [
        "Hội nghị xúc tiến đầu tư Nhật Bản – Mekong",
        "Tỉnh Okayama",
        f"{waiting['indicator in review'].metric.name} 2018",
    ]  # newest first
    assert "Đối tác trong thùng rác" not in page
    old = section_html(page, "old-drafts")
    assert (count_of(old), listed(old)) == (1, ["Ngày Indonesia"])
    warnings = section_html(page, "warnings")
    assert (count_of(warnings), listed(warnings)) == (1, ["Bài chưa có ngày"])
    inferred = section_html(page, "inferred")
    assert (count_of(inferred), listed(inferred)) == (1, ["Bài có suy luận"])
    unsourced = section_html(page, "no-source")
    assert (count_of(unsourced), listed(unsourced)) == (2, ["Ngày ITEC 2031", "Tổ chức Blue Dragon"])  # scheduled ones too
    scheduled = section_html(page, "scheduled")
    assert (count_of(scheduled), listed(scheduled)) == (1, ["Ngày ITEC 2031"])


def test_items_link_to_their_change_pages_and_sections_to_the_filtered_lists(publisher_client, waiting):
    page = publisher_client.get("/en/admin/").content.decode()
    review = section_html(page, "review")
    assert f'href="{admin_url(Partner, "change", waiting["partner in review"].pk)}"' in review
    assert f'href="{admin_url(Article, "change", waiting["article in review"].pk)}"' in review
    for model in (Partner, Article, Indicator):
        assert f'href="{admin_url(model, "changelist")}?queue=review"' in review
    assert f'href="{admin_url(Event, "changelist")}?queue=old-drafts"' in section_html(page, "old-drafts")
    assert f'href="{admin_url(Partner, "changelist")}?queue=no-source"' in section_html(page, "no-source")


@pytest.mark.parametrize(
    ("model", "key", "expected"),
    [
        (Partner, "review", ["partner in review"]),
        (Event, "old-drafts", ["old draft"]),
        (Article, "warnings", ["article with warnings"]),
        (Article, "inferred", ["article with inferred facts"]),
        (Partner, "no-source", ["published without source"]),
        (Event, "scheduled", ["scheduled"]),
    ],
)
def test_the_filtered_list_holds_what_the_queue_counts(publisher_client, waiting, model, key, expected):
    response = publisher_client.get(f"{admin_url(model, 'changelist')}?queue={key}")
    assert sorted(obj.pk for obj in response.context["cl"].result_list) == sorted(waiting[name].pk for name in expected)


def test_a_long_section_shows_ten_and_links_to_all(publisher_client):
    for n in range(12):
        partner(fields=[], status=Status.REVIEW, name=f"Đối tác chờ duyệt {n:02d}")
    review = section_html(publisher_client.get("/en/admin/").content.decode(), "review")
    assert count_of(review) == 12 and len(listed(review)) == 10
    assert "All 12:" in review and "Partners (12)" in review


def test_an_empty_section_says_so(publisher_client):
    review = section_html(publisher_client.get("/en/admin/").content.decode(), "review")
    assert count_of(review) == 0 and "Nothing waiting." in review


def test_editors_see_the_queue_too(editor_client, waiting):
    page = editor_client.get("/en/admin/").content.decode()
    assert count_of(section_html(page, "review")) == 3


def test_the_queue_sits_above_the_app_list(publisher_client):
    page = publisher_client.get("/en/admin/").content.decode()
    assert page.index('id="work-queue"') < page.index('class="app-news module')


def test_the_home_page_query_count_does_not_grow_with_the_queue(publisher_client, django_assert_num_queries, waiting):
    with django_assert_num_queries(INDEX_QUERIES):
        assert publisher_client.get("/en/admin/").status_code == 200
    for n in range(15):
        partner(fields=[], status=Status.REVIEW, name=f"Đối tác {n}")
        event(partners=[], status=Status.DRAFT, title=f"Sự kiện {n}")
        article(status=Status.DRAFT, import_warnings=["No title line found."], inference_note="Guessed.")
    Event.objects.filter(status=Status.DRAFT).update(created_at=days_ago(30))
    with django_assert_num_queries(INDEX_QUERIES):
        assert publisher_client.get("/en/admin/").status_code == 200
