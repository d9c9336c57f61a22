"""Revisions: every save kept with who, when and what changed; any revision can be restored."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from cantho.editing import describe_reason, revision_changes
from cantho.models import Status
from partners.models import Partner
from tests.admin.conftest import logged_in
from tests.admin.helpers import admin_url, form_data, partner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Staff pages in English (/en/admin/...), the source language of the messages these tests read."""
    with translation.override("en"):
        yield


def edit(client, record, **changes):
    """Open the record's change form, change some fields, save; the response must be the redirect of a saved form."""
    url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return type(record).objects.get(pk=record.pk)


def revisions(record):
    return list(type(record).history.filter(id=record.pk).order_by("-history_date", "-history_id"))


def test_every_admin_save_is_a_revision_with_its_author_and_changes(publisher_client, publisher):
    record = partner(name="Sán Đầu", kind=Partner.Kind.LOCALITY)
    edited = edit(publisher_client, record, name="Thành phố Sán Đầu", kind=Partner.Kind.GOVERNMENT)

    newest, created = revisions(record)
    assert created.history_type == "+" and newest.history_type == "~"
    assert newest.history_user == publisher
    assert (created.version, newest.version, edited.version) == (1, 2, 2)
    with translation.override("en"):
        changes = {change.name: (change.old, change.new) for change in revision_changes(old=created, new=newest)}
    # Choice fields by their labels, not their codes; nothing but what changed.
    assert changes == {"name": ("Sán Đầu", "Thành phố Sán Đầu"), "kind": ("Foreign locality", "Foreign government or mission")}


def test_history_page_lists_who_when_and_each_field_old_and_new(publisher_client):
    record = partner(name="Okayama", region="")
    edit(publisher_client, record, name="Tỉnh Okayama", region="Chūgoku")

    page = publisher_client.get(admin_url(Partner, "history", record.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "publisher" in html
    assert "Okayama</del>" in html and "Tỉnh Okayama</ins>" in html
    assert "—</del>" in html and "Chūgoku</ins>" in html  # an empty value is shown as a dash
    # Each revision links to its own page, from which it can be restored.
    newest, created = revisions(record)
    assert admin_url(Partner, "simple_history", record.pk, created.history_id) in html


def test_restoring_a_revision_brings_the_values_back_as_a_new_revision(publisher_client, publisher):
    record = partner(name="Riverside", description="Kết nghĩa từ 2015.")
    edit(publisher_client, record, name="Thành phố Riverside")
    edited = edit(publisher_client, record, name="Riverside, California", description="Kết nghĩa.")
    assert edited.version == 3
    first = revisions(record)[-1]

    url = admin_url(Partner, "simple_history", record.pk, first.history_id)
    page = publisher_client.get(url)
    assert page.status_code == 200
    assert "Restore this revision" in page.content.decode()
    response = publisher_client.post(url, form_data(page))
    assert response.status_code == 302, response.context["adminform"].form.errors

    restored = Partner.objects.get(pk=record.pk)
    assert (restored.name, restored.description) == ("Riverside", "Kết nghĩa từ 2015.")
    assert restored.version == 4  # the restore is one more save, through the locked save
    newest = revisions(record)[0]
    assert len(revisions(record)) == 4
    assert newest.history_user == publisher and newest.version == 4
    assert describe_reason(newest.history_change_reason).startswith("Restored from the revision of ")
    history = publisher_client.get(admin_url(Partner, "history", record.pk)).content.decode()
    assert "Restored from the revision of" in history
    # The revision before the restore is still there, so the restore can itself be undone.
    assert any(revision.name == "Riverside, California" for revision in revisions(record))


def test_restoring_a_revision_keeps_what_the_form_does_not_show(editor_client, publisher_client):
    """An editor restoring an old draft revision does not unpublish the record, nor take it out of the trash."""
    record = partner(name="AIMF", status=Status.DRAFT)
    draft_revision = revisions(record)[0]
    published = edit(publisher_client, record, name="Hiệp hội Thị trưởng Pháp ngữ", status=Status.PUBLISHED)
    assert published.is_public

    url = admin_url(Partner, "simple_history", record.pk, draft_revision.history_id)
    response = editor_client.post(url, form_data(editor_client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Partner.objects.get(pk=record.pk)
    assert restored.name == "AIMF"
    assert restored.status == Status.PUBLISHED and restored.published_at == published.published_at
    assert restored.seed_key == published.seed_key and restored.deleted_at is None


def test_restoring_a_revision_is_refused_when_the_record_changed_since_the_page_was_opened(publisher_client, editor_client):
    record = partner(name="GCoM")
    edit(publisher_client, record, name="Giao ước Thị trưởng")
    first = revisions(record)[-1]
    url = admin_url(Partner, "simple_history", record.pk, first.history_id)
    page = publisher_client.get(url)

    edit(editor_client, record, name="Giao ước Thị trưởng toàn cầu")  # meanwhile
    response = publisher_client.post(url, form_data(page))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Giao ước Thị trưởng toàn cầu" in errors
    assert Partner.objects.get(pk=record.pk).name == "Giao ước Thị trưởng toàn cầu"


def test_a_user_who_may_only_view_cannot_restore(django_user_model, publisher_client):
    record = partner(name="Blue Dragon")
    edit(publisher_client, record, name="Tổ chức Rồng Xanh")
    viewer = django_user_model.objects.create_user("viewer", password="not-used", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_partner"))
    client = logged_in(viewer)
    first = revisions(record)[-1]
    url = admin_url(Partner, "simple_history", record.pk, first.history_id)
    assert client.get(admin_url(Partner, "history", record.pk)).status_code == 200
    page = client.get(url)
    assert page.status_code == 200 and "Restore this revision" not in page.content.decode()
    assert client.post(url, {"name": "Blue Dragon"}).status_code == 403
    assert Partner.objects.get(pk=record.pk).name == "Tổ chức Rồng Xanh"


def test_saves_outside_the_admin_raise_the_version_and_are_revisions_too():
    record = partner(name="Takesho")
    assert record.version == 1
    record.description = "Công ty thực phẩm Nhật Bản."
    record.save()
    record.refresh_from_db()
    assert record.version == 2
    newest = revisions(record)[0]
    assert newest.version == 2 and newest.history_user is None


def test_history_of_a_malformed_address_is_not_found(publisher_client):
    record = partner()
    assert publisher_client.get(admin_url(Partner, "change", record.pk) + "history/").status_code == 404
