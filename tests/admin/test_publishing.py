"""Only Publishers publish: Editors move their drafts between draft and review, nothing further."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from cantho.models import Status
from partners.models import Partner
from tests.admin.helpers import admin_url, form_data, partner

pytestmark = pytest.mark.django_db
CRAFTED = {"status": Status.PUBLISHED, "published_at_0": "01/01/2024", "published_at_1": "08:00:00"}


def test_editor_is_offered_draft_and_review_only(editor_client):
    record = partner(status=Status.DRAFT)
    response = editor_client.get(admin_url(Partner, "change", record.pk))
    form = response.context["adminform"].form
    assert "published_at" not in form.fields and "published_at" in response.context["adminform"].readonly_fields
    assert [value for value, _label in form.fields["status"].widget.choices] == [Status.DRAFT, Status.REVIEW]


def test_editor_crafted_post_on_change_is_refused(editor_client):
    record = partner(status=Status.DRAFT, name="Tỉnh Okayama")
    url = admin_url(Partner, "change", record.pk)
    data = {**form_data(editor_client.get(url)), **CRAFTED, "region": "Chūgoku"}
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "status" in response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.region == "" and record.status == Status.DRAFT and record.published_at is None


def test_editor_crafted_post_on_add_is_refused(editor_client):
    url = admin_url(Partner, "add")
    data = {**form_data(editor_client.get(url)), **CRAFTED, "name": "Blue Dragon", "kind": Partner.Kind.NGO}
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "status" in response.context["adminform"].form.errors
    assert not Partner.objects.filter(name="Blue Dragon").exists()


def test_editor_has_no_publish_action_and_a_crafted_one_does_nothing(editor_client):
    record = partner(status=Status.DRAFT)
    changelist = admin_url(Partner, "changelist")
    action_form = editor_client.get(changelist).context["action_form"]
    assert [value for value, _label in action_form.fields["action"].choices if value] == ["submit_for_review", "export_csv", "export_xlsx"]
    editor_client.post(changelist, {"action": "publish", ACTION_CHECKBOX_NAME: [record.pk], "confirm": "yes"})
    record.refresh_from_db()
    assert record.status == Status.DRAFT


def test_publisher_publishes_through_the_change_form(publisher_client):
    record = partner(status=Status.DRAFT)
    url = admin_url(Partner, "change", record.pk)
    data = form_data(publisher_client.get(url))
    assert data["status"] == Status.DRAFT
    assert publisher_client.post(url, {**data, "status": Status.PUBLISHED}).status_code == 302
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED and record.published_at is not None and record.is_public


def test_publisher_publishes_and_unpublishes_with_the_list_actions(publisher_client):
    drafts = [partner(status=Status.DRAFT), partner(status=Status.DRAFT)]
    changelist = admin_url(Partner, "changelist")
    publisher_client.post(changelist, {"action": "publish", ACTION_CHECKBOX_NAME: [p.pk for p in drafts], "confirm": "yes"})
    assert all(p.is_public for p in Partner.objects.filter(pk__in=[p.pk for p in drafts]))
    publisher_client.post(changelist, {"action": "unpublish", ACTION_CHECKBOX_NAME: [drafts[0].pk], "confirm": "yes"})
    assert Partner.objects.get(pk=drafts[0].pk).status == Status.DRAFT
    history = publisher_client.get(admin_url(Partner, "history", drafts[0].pk)).content.decode()
    assert history.count("publisher") >= 2  # both changes are in the record's history
