"""Staff downloads in the admin: "Export selected as CSV / XLSX", whatever the status, trash included."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.utils import timezone

from cantho.admin import RecordAdmin
from cantho.models import Indicator, Metric, Status
from events.models import Event
from partners.models import Partner

BOM = "\ufeff"


def export(client, url: str, pks, action: str) -> bytes:
    response = client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]})
    assert response.status_code == 200
    assert response.get("Content-Disposition", "").startswith("attachment;")
    return b"".join(response.streaming_content)


def read_csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(BOM.encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8")[1:])))


@pytest.fixture
def partners(db):
    draft = Partner.objects.create(name="Đối tác nháp", kind=Partner.Kind.NGO, status=Status.DRAFT)
    review = Partner.objects.create(name="Đối tác chờ duyệt", kind=Partner.Kind.NGO, status=Status.REVIEW)
    published = Partner.objects.create(name="Đối tác công khai", name_en="Public partner", kind=Partner.Kind.NGO, status=Status.PUBLISHED)
    trashed = Partner.objects.create(name="=Đối tác trong thùng rác", kind=Partner.Kind.NGO, status=Status.PUBLISHED, deleted_at=timezone.now())
    return draft, review, published, trashed


def test_editor_exports_selected_records_of_every_status(editor_client, partners):
    draft, review, published, _trashed = partners
    body = export(editor_client, "/en/admin/partners/partner/", [draft.pk, review.pk, published.pk], "export_csv")
    rows = read_csv(body)
    assert {row["Name (Vietnamese)"]: row["Status"] for row in rows} == {
        "Đối tác nháp": "Draft",
        "Đối tác chờ duyệt": "In review",
        "Đối tác công khai": "Published",
    }
    assert all(row["In the trash since"] == "" for row in rows)
    assert {row["ID"] for row in rows} == {str(draft.pk), str(review.pk), str(published.pk)}
    assert "Kind" in rows[0] and "Page" in rows[0], "the public columns, then the editorial ones"


def test_records_in_the_trash_are_exported_marked(publisher_client, partners):
    trashed = partners[3]
    body = export(publisher_client, "/en/admin/partners/partner/?trash=yes", [trashed.pk], "export_csv")
    (row,) = read_csv(body)
    assert row["Name (Vietnamese)"] == "'=Đối tác trong thùng rác", "formula injection neutralised here too"
    assert row["In the trash since"].startswith(str(timezone.localdate().year))


def test_publisher_exports_xlsx(publisher_client, partners):
    draft, _review, published, _trashed = partners
    body = export(publisher_client, "/en/admin/partners/partner/", [draft.pk, published.pk], "export_xlsx")
    sheet = list(openpyxl.load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
    status = sheet[0].index("Status")
    assert sorted((row[0], row[status]) for row in sheet[1:]) == [("Đối tác công khai", "Published"), ("Đối tác nháp", "Draft")]


def test_scheduled_record_says_so(editor_client, db):
    soon = timezone.now() + datetime.timedelta(days=2)
    later = Event.objects.create(title="Sự kiện sắp công bố", kind=Event.Kind.OTHER, status=Status.PUBLISHED, published_at=soon)
    (row,) = read_csv(export(editor_client, "/en/admin/events/event/", [later.pk], "export_csv"))
    assert row["Status"] == "Published (scheduled)"
    assert row["Published at"]


def test_indicators_export_without_a_page_column(editor_client, db):
    metric = Metric.objects.create(slug="delegations", name="Đoàn khách", name_en="Delegations", unit="đoàn", unit_en="delegations")
    indicator = Indicator.objects.create(metric=metric, year=2018, value=482, status=Status.DRAFT)
    (row,) = read_csv(export(editor_client, "/en/admin/cantho/indicator/", [indicator.pk], "export_csv"))
    assert (row["Metric"], row["Year"], row["Value"], row["Unit"], row["Status"]) == ("Delegations", "2018", "482", "delegations", "Draft")
    assert "Page" not in row


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_every_record_admin_offers_both_exports(request, role, db):
    user = request.getfixturevalue(role)
    record_admins = [model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, RecordAdmin)]
    assert len(record_admins) == 7  # partners, agreements, events, investments, aid projects, articles, indicators
    for model_admin in record_admins:
        for query in ("", "?trash=yes"):
            http_request = RequestFactory().get("/en/admin/" + query)
            http_request.user = user
            actions = model_admin.get_actions(http_request)
            assert {"export_csv", "export_xlsx"} <= set(actions), (model_admin, query)
