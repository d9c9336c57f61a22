"""Adding and editing records through the admin forms, the way staff type."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from cantho.dates import DatePrecision
from news.models import Article
from partners.models import Partner
from tests.admin.helpers import admin_url, article, field, form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
def test_partner_added_with_a_day_first_date(publisher_client, language):
    with translation.override(language):
        url = admin_url(Partner, "add")
    source, education = article(), field(name="Giáo dục")
    data = {
        **form_data(publisher_client.get(url)),
        "name": "Thành phố Sán Đầu",
        "kind": Partner.Kind.LOCALITY,
        "country": "CN",
        "fields": [education.pk],
        "since": "06/05/2024",
        "since_precision": DatePrecision.DAY,
        "source_links-TOTAL_FORMS": "1",
        "source_links-0-article": source.pk,
        "source_links-0-quote": "Hai bên ký kết bản ghi nhớ.",
    }
    response = publisher_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    partner = Partner.objects.get(name="Thành phố Sán Đầu")
    assert partner.since == datetime.date(2024, 5, 6)
    assert list(partner.fields.all()) == [education]
    assert partner.source_links.get().article == source
    assert "san dau" in partner.search_text


def test_unchanged_change_form_saves_as_is(publisher_client):
    record = article()
    url = admin_url(Article, "change", record.pk)
    response = publisher_client.post(url, form_data(publisher_client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Article.objects.get(pk=record.pk)
    assert (saved.title, saved.dateline, saved.category, saved.status) == (record.title, record.dateline, record.category, record.status)
    assert saved.photos.count() == 1


def test_list_columns_show_dates_at_their_precision(publisher_client):
    from tests.admin.helpers import partner

    partner(name="Tỉnh Jeollanam-do", since=datetime.date(2016, 9, 1), since_precision=DatePrecision.MONTH)
    page = publisher_client.get(admin_url(Partner, "changelist")).content.decode()
    assert "09/2016" in page and "01/09/2016" not in page
