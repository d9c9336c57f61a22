"""Staff search without diacritics, in lists and in autocompletes."""

from __future__ import annotations

import pytest

from cantho.models import Field
from investments.models import Investment
from partners.models import Agreement, Partner, PartnerSource
from tests.admin.helpers import admin_url, article, field, investment, partner

pytestmark = pytest.mark.django_db


def listed(client, model, query):
    return list(client.get(admin_url(model, "changelist"), {"q": query}).context["cl"].result_list)


def autocomplete(client, source_model, field_name, term):
    params = {"app_label": source_model._meta.app_label, "model_name": source_model._meta.model_name, "field_name": field_name, "term": term}
    response = client.get("/admin/autocomplete/", params)
    assert response.status_code == 200
    return [item["text"] for item in response.json()["results"]]


def test_changelist_search_ignores_diacritics(publisher_client):
    japan = partner(name="Đại sứ quán Nhật Bản tại Việt Nam", country="JP")
    partner(name="Tổng Lãnh sự quán Hàn Quốc", country="KR")
    assert listed(publisher_client, Partner, "nhat ban") == [japan]
    assert listed(publisher_client, Partner, "NHẬT bản") == [japan]
    assert listed(publisher_client, Partner, "nhat han") == []


def test_changelist_search_folds_the_stroked_d(editor_client):
    plant = investment(name="Dự án đầu tư nhà máy nhiệt điện Ô Môn II")
    investment(name="Khách sạn Wink")
    assert listed(editor_client, Investment, "dau tu") == [plant]
    assert listed(editor_client, Investment, "o mon") == [plant]


def test_autocomplete_of_partners_ignores_diacritics(editor_client):
    partner(name="Tỉnh Okayama, Nhật Bản", name_en="Okayama Prefecture")
    partner(name="Thành phố Sán Đầu")
    assert autocomplete(editor_client, Agreement, "partners", "nhat ban") == ["Tỉnh Okayama, Nhật Bản"]
    assert autocomplete(editor_client, Agreement, "partners", "san dau") == ["Thành phố Sán Đầu"]


def test_autocomplete_of_source_articles_ignores_diacritics(editor_client):
    article(title="Đẩy mạnh hợp tác với Nhật Bản")
    article(title="Ngày Indonesia tại Cần Thơ")
    assert autocomplete(editor_client, PartnerSource, "article", "hop tac nhat") == ["Đẩy mạnh hợp tác với Nhật Bản"]


def test_vocabulary_search_ignores_diacritics_too(publisher_client):
    education = field(name="Giáo dục đào tạo", name_en="Education")
    field(name="Đầu tư")
    assert listed(publisher_client, Field, "giao duc") == [education]
    assert autocomplete(publisher_client, Partner, "fields", "dau tu") == ["Đầu tư"]
    assert autocomplete(publisher_client, Partner, "fields", "education") == ["Giáo dục đào tạo"]
