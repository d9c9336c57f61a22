"""The trash: deleting content moves it to the trash; a Publisher restores it or deletes it for good, unless others link to it."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import translation

from cantho.editing import NotInTrash, RecordIsLinked, record_hard_delete, record_links, record_trash, trash_empty
from cantho.models import Status
from news.models import Article
from partners.models import Agreement, Partner
from tests.admin.helpers import admin_url, agreement, aid_project, article, event, investment, partner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Staff pages in English (/en/admin/...), the source language of the messages these tests read."""
    with translation.override("en"):
        yield


def partners_list() -> str:
    return admin_url(Partner, "changelist")


def partners_trash() -> str:
    return partners_list() + "?trash=yes"


def listed(client, url):
    return set(client.get(url).context["cl"].result_list)


def test_delete_moves_a_record_to_the_trash(publisher_client, publisher, client):
    record = partner(name="Okayama", status=Status.PUBLISHED)
    public_url = record.get_absolute_url()
    assert client.get(public_url).status_code == 200

    page = publisher_client.get(admin_url(Partner, "delete", record.pk))
    assert page.status_code == 200
    assert "trash" in page.content.decode()
    response = publisher_client.post(admin_url(Partner, "delete", record.pk), {"post": "yes"})
    assert response.status_code == 302 and response["Location"] == partners_list()

    record.refresh_from_db()  # the row is still there
    assert record.deleted_at is not None and record.status == Status.PUBLISHED
    assert client.get(public_url).status_code == 404
    assert record not in Partner.objects.published()
    assert record not in listed(publisher_client, partners_list())
    assert record in listed(publisher_client, partners_trash())
    revision = Partner.history.filter(id=record.pk).latest("history_date")
    assert revision.history_user == publisher and revision.history_change_reason == "trash"
    assert "Moved to the trash" in publisher_client.get(admin_url(Partner, "history", record.pk)).content.decode()


def test_the_list_links_to_the_trash_and_the_trash_back(publisher_client):
    record = partner()
    record_trash(record=record)
    html = publisher_client.get(partners_list()).content.decode()
    assert f'href="{partners_trash()}"' in html
    trash = publisher_client.get(partners_trash())
    html = trash.content.decode()
    assert admin_url(Partner, "trash_empty") in html and f'href="{partners_list()}"' in html
    actions = dict(trash.context["action_form"].fields["action"].choices)
    assert set(actions) - {""} == {"restore_from_trash", "delete_for_good", "export_csv", "export_xlsx"}
    assert "trashed_at" in trash.context["cl"].list_display


def test_bulk_delete_moves_the_selection_to_the_trash_after_a_confirmation(publisher_client):
    kept, gone, too = partner(), partner(), partner()
    selection = {"action": "move_to_trash", ACTION_CHECKBOX_NAME: [gone.pk, too.pk], "index": 0}
    confirm = publisher_client.post(partners_list(), selection)
    assert confirm.status_code == 200 and "trash" in confirm.content.decode()
    assert not Partner.objects.filter(deleted_at__isnull=False).exists()

    response = publisher_client.post(partners_list(), {"action": "move_to_trash", ACTION_CHECKBOX_NAME: [gone.pk, too.pk], "post": "yes"})
    assert response.status_code == 302
    assert set(Partner.objects.filter(deleted_at__isnull=False)) == {gone, too}
    assert listed(publisher_client, partners_list()) == {kept}
    assert listed(publisher_client, partners_trash()) == {gone, too}


def test_django_delete_selected_action_is_gone(publisher_client):
    actions = dict(publisher_client.get(partners_list()).context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions and "move_to_trash" in actions
    publisher_client.post(partners_list(), {"action": "delete_selected", ACTION_CHECKBOX_NAME: [partner().pk], "post": "yes"})
    assert Partner.objects.count() == 1


def test_restore_brings_a_record_back(publisher_client):
    record = partner(status=Status.PUBLISHED)
    record_trash(record=record)
    response = publisher_client.post(partners_trash(), {"action": "restore_from_trash", ACTION_CHECKBOX_NAME: [record.pk], "index": 0})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.deleted_at is None and record.is_public
    assert record in listed(publisher_client, partners_list()) and record not in listed(publisher_client, partners_trash())
    assert Partner.history.filter(id=record.pk).latest("history_date").history_change_reason == "untrash"


def test_empty_trash_deletes_the_trashed_records_for_good_after_a_confirmation(publisher_client):
    kept, trashed = partner(), [partner(fields=[]), partner(fields=[])]
    for record in trashed:
        record_trash(record=record)
    url = admin_url(Partner, "trash_empty")
    confirm = publisher_client.get(url)
    assert confirm.status_code == 200
    assert all(str(record) in confirm.content.decode() for record in trashed)
    assert Partner.objects.count() == 3

    response = publisher_client.post(url, {"post": "yes"})
    assert response.status_code == 302 and response["Location"] == partners_trash()
    assert list(Partner.objects.all()) == [kept]


def test_delete_of_a_record_in_the_trash_deletes_it_for_good(publisher_client):
    record = partner(fields=[])
    record_trash(record=record)
    assert "for good" in publisher_client.get(admin_url(Partner, "delete", record.pk)).content.decode()
    publisher_client.post(admin_url(Partner, "delete", record.pk), {"post": "yes"})
    assert not Partner.objects.filter(pk=record.pk).exists()


def test_a_partner_others_link_to_is_never_deleted_for_good(publisher_client):
    linked = partner(name="Sán Đầu")
    mou = agreement(partners=[linked], title="Bản ghi nhớ Cần Thơ – Sán Đầu")
    visit = event(partners=[linked], title="Đoàn công tác Sán Đầu")
    plant = investment(investor=linked, name="Nhà máy giày")
    aid = aid_project()
    aid.donors.add(linked)
    record_trash(record=linked)
    record_trash(record=mou)  # a link from a record in the trash counts too

    links = record_links(record=linked)
    assert {link.obj for link in links} == {mou, visit, plant, aid}
    with pytest.raises(RecordIsLinked):
        record_hard_delete(record=linked)

    url = admin_url(Partner, "trash_empty")
    page = publisher_client.get(url).content.decode()
    for other in (mou, visit, plant, aid):
        assert str(other) in page
        assert admin_url(type(other), "change", other.pk) in page
    response = publisher_client.post(url, {"post": "yes"}, follow=True)
    assert Partner.objects.filter(pk=linked.pk).exists()
    messages = " ".join(str(message) for message in response.context["messages"])
    assert "Sán Đầu" in messages and "Bản ghi nhớ Cần Thơ – Sán Đầu" in messages and "Nhà máy giày" in messages

    # The same refusal through the trash's own "delete for good" action and the record's delete page.
    publisher_client.post(partners_trash(), {"action": "delete_for_good", ACTION_CHECKBOX_NAME: [linked.pk], "post": "yes"})
    publisher_client.post(admin_url(Partner, "delete", linked.pk), {"post": "yes"})
    assert Partner.objects.filter(pk=linked.pk).exists()

    # Once nothing links to it any more, it goes.
    trash_empty(model=Agreement)
    visit.partners.clear()
    aid.donors.clear()
    plant.investor = None
    plant.save()
    result = trash_empty(model=Partner)
    assert result.deleted == ["Sán Đầu"] and not result.refused
    assert not Partner.objects.filter(pk=linked.pk).exists()


def test_an_article_cited_as_a_source_is_never_deleted_for_good():
    source = article(title="Cần Thơ ký kết với Sán Đầu")
    cited_by = partner()
    cited_by.source_links.create(article=source, quote="...")
    record_trash(record=source)
    result = trash_empty(model=Article)
    assert not result.deleted and [link.obj for link in result.refused[0].links] == [cited_by]
    # A record's own parts (its photos) do not keep it: they go with it.
    cited_by.source_links.all().delete()
    assert trash_empty(model=Article).deleted == ["Cần Thơ ký kết với Sán Đầu"]


def test_only_records_in_the_trash_are_deleted_for_good():
    record = partner()
    with pytest.raises(NotInTrash):
        record_hard_delete(record=record)
    assert trash_empty(model=Partner).deleted == []
    assert Partner.objects.filter(pk=record.pk).exists()


def test_editors_cannot_delete_restore_or_empty(editor_client):
    record = partner()
    actions = dict(editor_client.get(partners_list()).context["action_form"].fields["action"].choices)
    assert "move_to_trash" not in actions
    record_trash(record=record)
    assert editor_client.get(admin_url(Partner, "trash_empty")).status_code == 403
    assert editor_client.post(admin_url(Partner, "trash_empty"), {"post": "yes"}).status_code == 403
    editor_client.post(partners_trash(), {"action": "restore_from_trash", ACTION_CHECKBOX_NAME: [record.pk], "index": 0})
    record.refresh_from_db()
    assert record.deleted_at is not None


def test_a_record_in_the_trash_is_not_offered_for_new_links(editor_client):
    trashed, kept = partner(name="Hiệp hội AIMF"), partner(name="Hiệp hội GCoM")
    record_trash(record=trashed)
    response = editor_client.get("/en/admin/autocomplete/", {"term": "hiep hoi", "app_label": "partners", "model_name": "agreement", "field_name": "partners"})
    assert [item["text"] for item in response.json()["results"]] == [str(kept)]


def test_the_change_page_of_a_trashed_record_says_so(publisher_client):
    record = partner()
    record_trash(record=record)
    html = publisher_client.get(admin_url(Partner, "change", record.pk)).content.decode()
    assert "in the trash" in html


def test_the_trash_filter_works_with_counts_shown(publisher_client):
    record = partner()
    record_trash(record=record)
    response = publisher_client.get(partners_trash() + "&_facets=1")
    assert response.status_code == 200 and list(response.context["cl"].result_list) == [record]
