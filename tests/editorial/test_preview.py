"""Preview: a record in any state as the public would see it, for staff only, never cached."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from cantho.models import Indicator, Status
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner
from tests.admin.helpers import FACTORIES, admin_url, article, indicator, partner

pytestmark = pytest.mark.django_db

#: Every record kind with a public page of its own.
WITH_PUBLIC_PAGE = (Article, Partner, Agreement, Event, Investment, AidProject)
EACH_KIND = pytest.mark.parametrize("model", WITH_PUBLIC_PAGE, ids=lambda model: model._meta.label)


@pytest.fixture(autouse=True)
def english():
    """The assertions read the English source texts, so pages are asked for under /en/."""
    with translation.override("en"):
        yield


def preview_url(record) -> str:
    opts = record._meta
    return reverse("preview", kwargs={"app_label": opts.app_label, "model_name": opts.model_name, "pk": record.pk})


@EACH_KIND
@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.ARCHIVED])
def test_staff_preview_an_unpublished_record_on_its_public_page(editor_client, anonymous_client, model, status):
    record = FACTORIES[model](status=status)
    assert anonymous_client.get(record.get_absolute_url()).status_code == 404  # not public...
    response = editor_client.get(preview_url(record))  # ...but staff see it as it would look
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview — not public" in html
    assert f"Status: {record.get_status_display()}" in html
    assert str(record) in html
    public_template = response.templates[1].name
    assert public_template.endswith("_detail.html") and public_template.startswith(model._meta.app_label)
    assert f'href="{admin_url(model, "change", record.pk)}"' in html  # back to editing


def test_preview_shows_what_the_public_page_shows(editor_client, publisher_client):
    record = article(status=Status.PUBLISHED, title="Cần Thơ và Okayama", lead="Hai địa phương ký kết hợp tác.", body="Đoạn thứ nhất.\n\nĐoạn thứ hai.")
    public = publisher_client.get(record.get_absolute_url())
    preview = editor_client.get(preview_url(record))
    assert public.status_code == preview.status_code == 200
    for text in ("Cần Thơ và Okayama", "Hai địa phương ký kết hợp tác.", "Đoạn thứ hai."):
        assert text in public.content.decode() and text in preview.content.decode()
    assert "Preview — this record is public" in preview.content.decode()
    assert "Preview" not in public.content.decode()


def test_a_scheduled_record_says_when_it_will_appear(editor_client):
    moment = timezone.make_aware(datetime.datetime(2031, 1, 5, 8, 30))
    record = partner(status=Status.PUBLISHED, published_at=moment)
    html = editor_client.get(preview_url(record)).content.decode()
    assert "Preview — not public" in html and "appears by itself on 05/01/2031 08:30" in html


def test_preview_is_never_cached_nor_indexed(editor_client):
    response = editor_client.get(preview_url(partner(status=Status.DRAFT)))
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control and "max-age=0" in cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_preview_speaks_both_languages(editor_client):
    record = partner(status=Status.DRAFT, name="Tỉnh Okayama", name_en="Okayama Prefecture")
    with translation.override("vi"):
        vietnamese = editor_client.get(preview_url(record))
    assert vietnamese.status_code == 200 and "Tỉnh Okayama" in vietnamese.content.decode()
    english = editor_client.get(preview_url(record))
    assert english.request["PATH_INFO"].startswith("/en/preview/") and "Okayama Prefecture" in english.content.decode()


# -- who may see it -------------------------------------------------------------------------------------------
def test_anonymous_visitor_is_sent_to_log_in(anonymous_client):
    url = preview_url(partner(status=Status.DRAFT))
    response = anonymous_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login")) and "next=" in response["Location"]


def test_a_logged_in_visitor_who_is_not_staff_gets_nothing(django_user_model, client):
    user = django_user_model.objects.create_user("reader", password="not-used")
    user.user_permissions.add(Permission.objects.get(codename="view_partner"))
    client.force_login(user)
    assert client.get(preview_url(partner(status=Status.DRAFT))).status_code == 404


def test_staff_without_permission_on_the_model_get_nothing(django_user_model, client):
    user = django_user_model.objects.create_user("clerk", password="not-used", is_staff=True)
    client.force_login(user)
    assert client.get(preview_url(partner(status=Status.DRAFT))).status_code == 404


def test_only_records_with_a_public_page_have_a_preview(editor_client):
    assert editor_client.get(preview_url(indicator(status=Status.DRAFT))).status_code == 404
    assert editor_client.get(reverse("preview", kwargs={"app_label": "auth", "model_name": "user", "pk": 1})).status_code == 404
    assert editor_client.get(reverse("preview", kwargs={"app_label": "nothing", "model_name": "here", "pk": 1})).status_code == 404
    assert editor_client.get(reverse("preview", kwargs={"app_label": "partners", "model_name": "partner", "pk": 999999})).status_code == 404


# -- the link on the change page ------------------------------------------------------------------------------
@EACH_KIND
def test_change_page_links_to_the_preview(editor_client, model):
    record = FACTORIES[model](status=Status.DRAFT)
    html = editor_client.get(admin_url(model, "change", record.pk)).content.decode()
    assert f'<a href="{preview_url(record)}" class="viewsitelink">Preview</a>' in html


def test_no_preview_link_where_there_is_no_public_page(editor_client):
    record = indicator(status=Status.DRAFT)
    html = editor_client.get(admin_url(Indicator, "change", record.pk)).content.decode()
    assert "/preview/" not in html
    assert "/preview/" not in editor_client.get(admin_url(Partner, "add")).content.decode()


def test_a_record_in_the_trash_can_be_previewed_and_says_so(editor_client):
    record = partner(status=Status.PUBLISHED)
    Partner._base_manager.filter(pk=record.pk).update(deleted_at=timezone.now())
    html = editor_client.get(preview_url(record)).content.decode()
    assert "Preview — not public" in html and "in the trash" in html
