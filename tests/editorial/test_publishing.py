"""Draft → in review → published → archived: who may move a record where, in the form, in bulk and on a schedule."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from cantho import publishing
from cantho.models import Status
from events.models import Event
from news.models import Article
from partners.models import Partner
from tests.admin.helpers import FACTORIES, admin_url, article, event, form_data, partner

pytestmark = pytest.mark.django_db

RECORD_FACTORIES = {model: factory for model, factory in FACTORIES.items() if hasattr(model, "history")}
EVERY_RECORD = pytest.mark.parametrize("model", RECORD_FACTORIES, ids=lambda model: model._meta.label)


@pytest.fixture(autouse=True)
def english():
    """The assertions read the English source texts, so pages are asked for under /en/."""
    with translation.override("en"):
        yield


def reload(record):
    return type(record)._base_manager.get(pk=record.pk)


def last_revision_user(record):
    return record.history.order_by("-history_id").first().history_user


# -- the rules themselves ----------------------------------------------------------------------------------
def test_each_pair_of_states_has_at_most_one_transition():
    pairs = [(source, t.target) for t in publishing.TRANSITIONS for source in t.sources]
    assert len(pairs) == len(set(pairs))
    assert all(source != target for source, target in pairs)


@EVERY_RECORD
def test_editor_submits_for_review_and_takes_back_but_cannot_publish(editor, model):
    record = RECORD_FACTORIES[model](status=Status.DRAFT)
    record = publishing.change_status(record=record, user=editor, status=Status.REVIEW)
    assert reload(record).status == Status.REVIEW and last_revision_user(record) == editor
    for forbidden in (Status.PUBLISHED, Status.ARCHIVED):
        with pytest.raises(publishing.TransitionRefused, match="Only Publishers"):
            publishing.change_status(record=record, user=editor, status=forbidden)
    assert reload(record).status == Status.REVIEW
    publishing.change_status(record=record, user=editor, status=Status.DRAFT)
    assert reload(record).status == Status.DRAFT


@EVERY_RECORD
def test_publisher_takes_a_record_through_every_state(publisher, model):
    record = RECORD_FACTORIES[model](status=Status.DRAFT, published_at=None)
    for status in (Status.REVIEW, Status.PUBLISHED, Status.DRAFT, Status.ARCHIVED, Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED, Status.PUBLISHED):
        record = publishing.change_status(record=record, user=publisher, status=status)
        stored = reload(record)
        assert stored.status == status
        assert last_revision_user(stored) == publisher
    assert stored.is_public and model.objects.published().filter(pk=record.pk).exists()


def test_editor_may_not_unpublish_archive_or_unarchive(editor):
    published, archived = partner(status=Status.PUBLISHED), partner(status=Status.ARCHIVED)
    for transition, record in ((publishing.UNPUBLISH, published), (publishing.ARCHIVE, published), (publishing.UNARCHIVE, archived)):
        assert transition.check(user=editor, record=record) == "Only Publishers may do this."
        with pytest.raises(publishing.TransitionRefused):
            transition.execute(user=editor, record=record)
    assert reload(published).status == Status.PUBLISHED and reload(archived).status == Status.ARCHIVED


def test_a_move_from_the_wrong_state_says_why(publisher):
    record = partner(status=Status.PUBLISHED)
    assert publishing.PUBLISH.check(user=publisher, record=record) == "It is already published."
    assert publishing.SUBMIT.check(user=publisher, record=record) == "Only drafts can be submitted for review."
    with pytest.raises(publishing.TransitionRefused, match="cannot go from “Published” to “In review”"):
        publishing.change_status(record=record, user=publisher, status=Status.REVIEW)


def test_the_state_is_checked_again_as_stored(publisher):
    """Two people acting on the same page: the second publish finds the record published already."""
    record = partner(status=Status.DRAFT)
    stale_copy = reload(record)
    publishing.PUBLISH.execute(user=publisher, record=record)
    with pytest.raises(publishing.TransitionRefused, match="already published"):
        publishing.PUBLISH.execute(user=publisher, record=stale_copy)


def test_nothing_moves_in_the_trash(publisher):
    record = partner(status=Status.DRAFT)
    Partner._base_manager.filter(pk=record.pk).update(deleted_at=timezone.now())
    with pytest.raises(publishing.TransitionRefused, match="trash"):
        publishing.PUBLISH.execute(user=publisher, record=record)
    assert reload(record).status == Status.DRAFT


def test_publishing_stamps_the_time_once_and_keeps_a_schedule(publisher):
    draft = partner(status=Status.DRAFT, published_at=None)
    before = timezone.now()
    published = publishing.PUBLISH.execute(user=publisher, record=draft)
    assert before <= published.published_at <= timezone.now()
    first = published.published_at
    publishing.UNPUBLISH.execute(user=publisher, record=published)
    again = publishing.PUBLISH.execute(user=publisher, record=published)
    assert again.published_at == first  # "published at" is when it was first published

    later = timezone.now() + datetime.timedelta(days=3)
    planned = partner(status=Status.REVIEW, published_at=later)
    assert "scheduled" in publishing.PUBLISH.outcome(planned)
    scheduled = publishing.PUBLISH.execute(user=publisher, record=planned)
    assert scheduled.published_at == later and publishing.is_scheduled(scheduled) and not scheduled.is_public


# -- the change form ---------------------------------------------------------------------------------------
def status_options(response) -> list[str]:
    field = response.context["adminform"].form.fields["status"]
    return [value for value, _label in field.widget.choices]


def test_editor_is_offered_draft_and_review_only(editor_client):
    draft, in_review = partner(status=Status.DRAFT), partner(status=Status.REVIEW)
    assert status_options(editor_client.get(admin_url(Partner, "change", draft.pk))) == [Status.DRAFT, Status.REVIEW]
    assert status_options(editor_client.get(admin_url(Partner, "change", in_review.pk))) == [Status.DRAFT, Status.REVIEW]
    assert status_options(editor_client.get(admin_url(Partner, "add"))) == [Status.DRAFT, Status.REVIEW]
    page = editor_client.get(admin_url(Partner, "change", draft.pk))
    assert "published_at" not in page.context["adminform"].form.fields  # only Publishers schedule


def test_editor_sees_the_status_of_a_published_record_read_only(editor_client):
    record = partner(status=Status.PUBLISHED)
    response = editor_client.get(admin_url(Partner, "change", record.pk))
    assert "status" not in response.context["adminform"].form.fields
    assert "status" in response.context["adminform"].readonly_fields
    assert 'name="status"' not in response.content.decode()


def test_publisher_is_offered_every_allowed_move(publisher_client):
    cases = {
        Status.DRAFT: [Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED],
        Status.REVIEW: [Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED],
        Status.PUBLISHED: [Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED],
        Status.ARCHIVED: [Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED],
    }
    for status, offered in cases.items():
        record = partner(status=status)
        assert status_options(publisher_client.get(admin_url(Partner, "change", record.pk))) == offered, status


def test_editor_submits_for_review_with_the_form(editor_client, editor):
    record = partner(status=Status.DRAFT, name="Tỉnh Okayama")
    url = admin_url(Partner, "change", record.pk)
    data = {**form_data(editor_client.get(url)), "status": Status.REVIEW}
    assert editor_client.post(url, data).status_code == 302
    stored = reload(record)
    assert stored.status == Status.REVIEW and stored.published_at is None
    assert last_revision_user(stored) == editor


@pytest.mark.parametrize("forbidden", [Status.PUBLISHED, Status.ARCHIVED])
def test_editor_crafted_post_is_refused_with_a_form_error(editor_client, forbidden):
    record = partner(status=Status.REVIEW, region="Chūgoku")
    url = admin_url(Partner, "change", record.pk)
    data = {**form_data(editor_client.get(url)), "status": forbidden, "published_at_0": "01/01/2024", "published_at_1": "08:00:00", "region": "Kantō"}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == ["Only Publishers may do this."]
    stored = reload(record)
    assert (stored.status, stored.published_at, stored.region) == (Status.REVIEW, None, "Chūgoku")  # nothing saved


def test_editor_crafted_post_on_a_published_record_cannot_unpublish_it(editor_client):
    record = partner(status=Status.PUBLISHED, region="Chūgoku")
    url = admin_url(Partner, "change", record.pk)
    data = {**form_data(editor_client.get(url)), "status": Status.DRAFT, "region": "Kantō"}
    assert editor_client.post(url, data).status_code == 302  # status is read-only for them: the edit goes through, the status stays
    stored = reload(record)
    assert (stored.status, stored.region) == (Status.PUBLISHED, "Kantō")


def test_editor_crafted_post_on_add_cannot_create_a_published_record(editor_client):
    url = admin_url(Partner, "add")
    data = {**form_data(editor_client.get(url)), "name": "Blue Dragon", "kind": Partner.Kind.NGO, "status": Status.PUBLISHED}
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "status" in response.context["adminform"].form.errors
    assert not Partner.objects.filter(name="Blue Dragon").exists()
    data["status"] = Status.REVIEW
    assert editor_client.post(url, data).status_code == 302
    assert Partner.objects.get(name="Blue Dragon").status == Status.REVIEW


def test_publisher_cannot_jump_between_unconnected_states(publisher_client):
    record = partner(status=Status.PUBLISHED)
    url = admin_url(Partner, "change", record.pk)
    response = publisher_client.post(url, {**form_data(publisher_client.get(url)), "status": Status.REVIEW})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == ["A record cannot go from “Published” to “In review”."]


def test_publisher_publishes_and_schedules_with_the_form(publisher_client, publisher):
    now_record, later_record = partner(status=Status.REVIEW, published_at=None), partner(status=Status.REVIEW, published_at=None)
    url = admin_url(Partner, "change", now_record.pk)
    assert publisher_client.post(url, {**form_data(publisher_client.get(url)), "status": Status.PUBLISHED}).status_code == 302
    assert reload(now_record).is_public and last_revision_user(now_record) == publisher

    url = admin_url(Partner, "change", later_record.pk)
    soon = timezone.localtime() + datetime.timedelta(days=2)
    data = {**form_data(publisher_client.get(url)), "status": Status.PUBLISHED, "published_at_0": soon.strftime("%d/%m/%Y"), "published_at_1": "08:00:00"}
    assert publisher_client.post(url, data).status_code == 302
    stored = reload(later_record)
    assert stored.status == Status.PUBLISHED and not stored.is_public and publishing.is_scheduled(stored)
    changelist = publisher_client.get(admin_url(Partner, "changelist")).content.decode()
    assert f"Scheduled: {soon.strftime('%d/%m/%Y')} 08:00" in changelist
    scheduled_only = publisher_client.get(admin_url(Partner, "changelist") + "?queue=scheduled")
    assert [p.pk for p in scheduled_only.context["cl"].result_list] == [later_record.pk]


# -- bulk actions and their confirmation page ------------------------------------------------------------
def action_names(client, model=Partner) -> set[str]:
    form = client.get(admin_url(model, "changelist")).context["action_form"]
    return {value for value, _label in form.fields["action"].choices if value} if form else set()


def test_editor_is_offered_only_submit_for_review(editor_client, publisher_client):
    assert action_names(editor_client) == {"submit_for_review", "export_csv", "export_xlsx"}
    assert {"submit_for_review", "publish", "unpublish", "archive"} <= action_names(publisher_client)


@pytest.mark.parametrize("action", ["publish", "unpublish", "archive"])
def test_editor_crafted_bulk_action_changes_nothing(editor_client, action):
    records = [partner(status=Status.DRAFT), partner(status=Status.PUBLISHED)]
    changelist = admin_url(Partner, "changelist")
    response = editor_client.post(changelist, {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in records], "confirm": "yes"})
    assert response.status_code in (200, 302)
    assert [reload(r).status for r in records] == [Status.DRAFT, Status.PUBLISHED]


def test_bulk_publish_asks_first_then_publishes(publisher_client, publisher):
    draft, in_review = partner(status=Status.DRAFT, name="Thành phố Riverside"), partner(status=Status.REVIEW, name="Tỉnh Jeollanam-do")
    already = partner(status=Status.PUBLISHED, name="Thành phố Sán Đầu")
    trashed = partner(status=Status.DRAFT, name="Tổ chức Blue Dragon")
    Partner._base_manager.filter(pk=trashed.pk).update(deleted_at=timezone.now())
    selected = [draft.pk, in_review.pk, already.pk]
    changelist = admin_url(Partner, "changelist")

    page = publisher_client.post(changelist, {"action": "publish", ACTION_CHECKBOX_NAME: selected})
    assert page.status_code == 200
    assert page.templates[0].name == "admin/cantho/confirm_status_change.html"
    plan = page.context["plan"]
    assert {record.pk for record, _outcome in plan.allowed} == {draft.pk, in_review.pk}
    assert [(record.pk, reason) for record, reason in plan.refused] == [(already.pk, "It is already published.")]
    html = page.content.decode()
    assert "Draft → Published" in html and "In review → Published" in html and "It is already published." in html
    assert [reload(r).status for r in (draft, in_review)] == [Status.DRAFT, Status.REVIEW]  # nothing changed yet

    done = publisher_client.post(changelist, {"action": "publish", ACTION_CHECKBOX_NAME: [draft.pk, in_review.pk], "confirm": "yes"})
    assert done.status_code == 302
    for record in (draft, in_review):
        stored = reload(record)
        assert stored.is_public
        assert last_revision_user(stored) == publisher
    assert LogEntry.objects.filter(object_id__in=[str(draft.pk), str(in_review.pk)], user=publisher).count() == 2
    messages = [str(m) for m in publisher_client.get(changelist).context["messages"]]
    assert "2 records changed." in messages


def test_bulk_unpublish_and_archive(publisher_client):
    records = [partner(status=Status.PUBLISHED), partner(status=Status.PUBLISHED)]
    pks = [r.pk for r in records]
    changelist = admin_url(Partner, "changelist")
    publisher_client.post(changelist, {"action": "unpublish", ACTION_CHECKBOX_NAME: pks[:1], "confirm": "yes"})
    assert [reload(r).status for r in records] == [Status.DRAFT, Status.PUBLISHED]
    page = publisher_client.post(changelist, {"action": "archive", ACTION_CHECKBOX_NAME: pks})
    assert len(page.context["plan"].allowed) == 2
    assert [reload(r).status for r in records] == [Status.DRAFT, Status.PUBLISHED]
    publisher_client.post(changelist, {"action": "archive", ACTION_CHECKBOX_NAME: pks, "confirm": "yes"})
    assert [reload(r).status for r in records] == [Status.ARCHIVED, Status.ARCHIVED]
    assert not Partner.objects.published().filter(pk__in=pks).exists()


def test_editor_submits_in_bulk_and_is_told_what_cannot_be_submitted(editor_client, editor):
    draft, published = article(status=Status.DRAFT), article(status=Status.PUBLISHED)
    changelist = admin_url(Article, "changelist")
    page = editor_client.post(changelist, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [draft.pk, published.pk]})
    assert [(r.pk, reason) for r, reason in page.context["plan"].refused] == [(published.pk, "Only drafts can be submitted for review.")]
    assert 'name="confirm" value="yes"' in page.content.decode()
    assert reload(draft).status == Status.DRAFT
    editor_client.post(changelist, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [draft.pk], "confirm": "yes"})
    assert reload(draft).status == Status.REVIEW and last_revision_user(reload(draft)) == editor


def test_confirmation_page_without_anything_to_change_offers_no_confirm_button(publisher_client):
    record = partner(status=Status.ARCHIVED)
    page = publisher_client.post(admin_url(Partner, "changelist"), {"action": "archive", ACTION_CHECKBOX_NAME: [record.pk]})
    html = page.content.decode()
    assert "None of the selected records can be changed this way." in html
    assert 'name="confirm"' not in html


# -- scheduled publishing, with a frozen clock --------------------------------------------------------------
@pytest.fixture
def at_nine():
    return timezone.make_aware(datetime.datetime(2030, 3, 4, 9, 0))


def test_a_scheduled_partner_appears_by_itself(anonymous_client, at_nine):
    record = partner(status=Status.PUBLISHED, published_at=at_nine, name="Tỉnh Okayama hẹn giờ")
    detail, listing = record.get_absolute_url(), reverse("partners:list")
    with time_machine.travel(at_nine - datetime.timedelta(minutes=1), tick=False):
        assert anonymous_client.get(detail).status_code == 404
        assert "Tỉnh Okayama hẹn giờ" not in anonymous_client.get(listing).content.decode()
        assert publishing.is_scheduled(reload(record))
    with time_machine.travel(at_nine + datetime.timedelta(minutes=1), tick=False):
        assert anonymous_client.get(detail).status_code == 200
        assert "Tỉnh Okayama hẹn giờ" in anonymous_client.get(listing).content.decode()
        assert not publishing.is_scheduled(reload(record))


def test_a_scheduled_article_appears_by_itself_in_the_archive(anonymous_client, at_nine):
    record = article(status=Status.PUBLISHED, published_at=at_nine, title="Bài viết hẹn giờ đăng")
    with time_machine.travel(at_nine - datetime.timedelta(minutes=1), tick=False):
        assert anonymous_client.get(record.get_absolute_url()).status_code == 404
        assert "Bài viết hẹn giờ đăng" not in anonymous_client.get(reverse("news:list")).content.decode()
    with time_machine.travel(at_nine + datetime.timedelta(minutes=1), tick=False):
        assert anonymous_client.get(record.get_absolute_url()).status_code == 200
        assert "Bài viết hẹn giờ đăng" in anonymous_client.get(reverse("news:list")).content.decode()


def test_publisher_bulk_publish_of_a_prepared_schedule_says_when(publisher_client, at_nine):
    record = event(status=Status.REVIEW, published_at=at_nine)
    page = publisher_client.post(admin_url(Event, "changelist"), {"action": "publish", ACTION_CHECKBOX_NAME: [record.pk]})
    assert "In review → Published (scheduled: appears on 04/03/2030 09:00)" in page.content.decode()


# -- what the public sees -------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.ARCHIVED])
def test_anonymous_visitor_sees_nothing_unpublished(anonymous_client, status):
    hidden = [
        partner(status=status, name=f"Đối tác ẩn {status}"),
        article(status=status, title=f"Bài ẩn {status}"),
        event(status=status, title=f"Sự kiện ẩn {status}"),
    ]
    for record in hidden:
        assert anonymous_client.get(record.get_absolute_url()).status_code == 404
    for listing in (reverse("partners:list"), reverse("news:list"), reverse("events:list")):
        assert "ẩn" not in anonymous_client.get(listing).content.decode()


def test_publish_scheduled_reports_and_changes_nothing(at_nine):
    coming = partner(status=Status.PUBLISHED, published_at=at_nine, name="Sắp xuất hiện")
    with time_machine.travel(at_nine - datetime.timedelta(hours=1), tick=False):
        out = io.StringIO()
        call_command("publish_scheduled", stdout=out)
        assert "1 record(s) scheduled:" in out.getvalue() and "04/03/2030 09:00  partner: Sắp xuất hiện" in out.getvalue()
    with time_machine.travel(at_nine + datetime.timedelta(hours=1), tick=False):
        out = io.StringIO()
        call_command("publish_scheduled", "--since", "2", stdout=out)
        assert "0 record(s) scheduled:" in out.getvalue() and "1 record(s) appeared in the last 2 hours:" in out.getvalue()
    assert reload(coming).status == Status.PUBLISHED and reload(coming).version == coming.version


def test_editor_cannot_publish_by_restoring_a_published_revision(editor_client, publisher):
    record = partner(status=Status.DRAFT, region="Chūgoku")
    publishing.PUBLISH.execute(user=publisher, record=record)
    published_revision = reload(record).history.order_by("-history_id").first()
    publishing.UNPUBLISH.execute(user=publisher, record=record)
    url = reverse("admin:partners_partner_simple_history", args=[record.pk, published_revision.history_id])
    data = form_data(editor_client.get(url))
    assert editor_client.post(url, {**data, "status": Status.PUBLISHED}).status_code == 302
    assert reload(record).status == Status.DRAFT and not reload(record).is_public
