"""Optimistic locking: two people editing one record; the second save never silently overwrites the first."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import translation

from cantho import editing
from cantho.editing import EditConflict, record_save_with_lock, record_trash
from cantho.models import Record
from partners.models import Partner
from tests.admin.conftest import logged_in
from tests.admin.helpers import FACTORIES, admin_url, form_data, partner


@pytest.fixture(autouse=True)
def english():
    """Staff pages in English (/en/admin/...), the source language of the messages these tests read."""
    with translation.override("en"):
        yield


def change_form(client, record):
    url = admin_url(type(record), "change", record.pk)
    return url, form_data(client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize("model", [model for model in FACTORIES if issubclass(model, Record)], ids=lambda model: model._meta.label)
def test_change_form_carries_its_version_and_each_save_raises_it(publisher_client, model):
    record = FACTORIES[model]()
    url, data = change_form(publisher_client, record)
    assert data["loaded_version"] == str(record.version)
    response = publisher_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert model.objects.get(pk=record.pk).version == record.version + 1


@pytest.mark.django_db
def test_second_save_is_refused_with_what_changed_and_keeps_the_input(editor, publisher):
    record = partner(name="Sán Đầu", region="Quảng Đông", description="")
    alice, bob = logged_in(publisher), logged_in(editor)
    url, alice_form = change_form(alice, record)
    _, bob_form = change_form(bob, record)

    alice_form.update(name="Thành phố Sán Đầu", region="Tỉnh Quảng Đông")
    assert alice.post(url, alice_form).status_code == 302

    bob_form.update(description="Kết nghĩa từ năm 2005.")
    refused = bob.post(url, bob_form)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    errors = list(form.non_field_errors())
    assert "publisher" in errors[0]
    named = " ".join(errors)
    assert "“Sán Đầu”" in named and "“Thành phố Sán Đầu”" in named
    assert "“Quảng Đông”" in named and "“Tỉnh Quảng Đông”" in named
    # Nothing of Bob's was saved; Alice's save stands.
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.name, stored.description, stored.version) == ("Thành phố Sán Đầu", "", 2)
    # Bob's page shows the error and his input, now based on the new version.
    html = refused.content.decode()
    assert "Kết nghĩa từ năm 2005." in html and "errornote" in html
    again = form_data(refused)
    assert again["description"] == "Kết nghĩa từ năm 2005."
    assert again["loaded_version"] == "2"

    # Saving again, on purpose, stores Bob's form as it is.
    assert bob.post(url, again).status_code == 302
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.description, stored.version) == ("Kết nghĩa từ năm 2005.", 3)
    assert stored.name == "Sán Đầu"  # his form still had the old name, which the refusal showed him


@pytest.mark.django_db
def test_refusal_shows_bobs_value_beside_theirs(editor, publisher):
    record = partner(name="Okayama")
    alice, bob = logged_in(publisher), logged_in(editor)
    url, alice_form = change_form(alice, record)
    _, bob_form = change_form(bob, record)
    alice_form["name"] = "Tỉnh Okayama"
    alice.post(url, alice_form)
    bob_form["name"] = "Okayama (Nhật Bản)"
    errors = " ".join(bob.post(url, bob_form).context["adminform"].form.non_field_errors())
    assert "“Okayama”" in errors and "“Tỉnh Okayama”" in errors and "“Okayama (Nhật Bản)”" in errors


@pytest.mark.django_db
def test_a_form_without_its_version_is_refused(publisher_client):
    record = partner(name="Riverside")
    url, data = change_form(publisher_client, record)
    del data["loaded_version"]
    data["name"] = "Riverside, CA"
    response = publisher_client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.non_field_errors()
    assert Partner.objects.get(pk=record.pk).name == "Riverside"


@pytest.mark.django_db
def test_a_refused_locked_save_makes_the_admin_handle_the_request_again(publisher_client):
    """A conflict found only by the locked save rolls the request back and handles it again (here it then passes)."""
    record = partner(name="Takesho")
    url, data = change_form(publisher_client, record)
    data["name"] = "Takesho Co., Ltd."
    calls = []

    def refused_once(**kwargs):
        calls.append(kwargs["expected_version"])
        if len(calls) == 1:
            raise EditConflict(kwargs["record"], kwargs["expected_version"], None)
        return record_save_with_lock(**kwargs)

    with mock.patch("cantho.admin_editorial.record_save_with_lock", refused_once):
        response = publisher_client.post(url, data)
    assert response.status_code == 302 and calls == [1, 1]
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.name, stored.version) == ("Takesho Co., Ltd.", 2)


@pytest.mark.django_db
def test_locked_save_refuses_a_stale_version_and_writes_nothing():
    record = partner(name="SUEZ")
    stale = Partner.objects.get(pk=record.pk)
    record.name = "Tập đoàn SUEZ"
    record_save_with_lock(record=record, expected_version=1)
    stale.name = "SUEZ Group"
    with pytest.raises(EditConflict) as refused:
        record_save_with_lock(record=stale, expected_version=1)
    assert (refused.value.expected_version, refused.value.current_version) == (1, 2)
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.name, stored.version) == ("Tập đoàn SUEZ", 2)
    assert Partner.history.filter(id=record.pk).count() == 2


needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across threads need PostgreSQL (set DATABASE_URL)")


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[key] = error
        finally:
            connections.close_all()

    return threading.Thread(target=run)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_the_same_version_exactly_one_wins():
    record = partner(name="Jeollanam-do")
    barrier = threading.Barrier(2)
    results = {}

    def save(name):
        def attempt():
            copy = Partner.objects.get(pk=record.pk)
            copy.name = name
            barrier.wait()
            return record_save_with_lock(record=copy, expected_version=1).name

        return attempt

    threads = [_in_thread(save(name), results, name) for name in ("Tỉnh Jeollanam", "Jeollanam-do (Hàn Quốc)")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [value for value in results.values() if isinstance(value, str)]
    losers = [value for value in results.values() if isinstance(value, EditConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.name, stored.version) == (winners[0], 2)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_an_unfinished_one_and_is_then_refused():
    """The second save does not read the version before the first commits: it waits on the row, then finds version 2."""
    from django.db import transaction

    record = partner(name="Riverside")
    first_saved, let_first_commit = threading.Event(), threading.Event()
    results = {}

    def first():
        with transaction.atomic():
            copy = Partner.objects.get(pk=record.pk)
            copy.name = "Riverside (Mỹ)"
            record_save_with_lock(record=copy, expected_version=1)
            first_saved.set()
            let_first_commit.wait(10)
        return "committed"

    def second():
        first_saved.wait(10)
        copy = Partner.objects.get(pk=record.pk)  # still sees version 1: the first has not committed
        assert copy.version == 1
        copy.name = "Riverside, California"
        return record_save_with_lock(record=copy, expected_version=1)

    threads = [_in_thread(first, results, "first"), _in_thread(second, results, "second")]
    for thread in threads:
        thread.start()
    first_saved.wait(10)
    threads[1].join(1)
    assert threads[1].is_alive()  # blocked on the row lock, not done
    let_first_commit.set()
    for thread in threads:
        thread.join(30)
    assert results["first"] == "committed"
    assert isinstance(results["second"], EditConflict), results
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.name, stored.version) == ("Riverside (Mỹ)", 2)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_between_the_form_check_and_the_locked_save_is_refused_with_the_message(publisher, editor):
    """Someone saves after the form's check passed but before the locked save: refused all the same, with the message."""
    record = partner(name="Takesho")
    client = logged_in(publisher)
    url, data = change_form(client, record)
    data["name"] = "Takesho Co., Ltd."
    real_save = editing.record_save_with_lock
    results = {}

    def someone_else():
        other = Partner.objects.get(pk=record.pk)
        other.name = "Công ty Takesho"
        other._history_user = editor
        other.save()
        return other.version

    def save_after_someone_else(**kwargs):
        if not results:
            thread = _in_thread(someone_else, results, "other")
            thread.start()
            thread.join(10)
        return real_save(**kwargs)

    with mock.patch("cantho.admin_editorial.record_save_with_lock", save_after_someone_else):
        response = client.post(url, data)
    assert results == {"other": 2}
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "editor" in errors and "“Công ty Takesho”" in errors and "“Takesho Co., Ltd.”" in errors
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.name, stored.version) == ("Công ty Takesho", 2)


@pytest.mark.django_db
def test_refusal_says_when_the_record_was_moved_to_the_trash_meanwhile(editor, publisher):
    record = partner(name="Blue Dragon")
    bob = logged_in(editor)
    url, bob_form = change_form(bob, record)
    record_trash(record=Partner.objects.get(pk=record.pk), user=publisher)
    bob_form["name"] = "Tổ chức Blue Dragon"
    errors = " ".join(bob.post(url, bob_form).context["adminform"].form.non_field_errors())
    assert "publisher" in errors and "Moved to the trash" in errors
    assert Partner.objects.get(pk=record.pk).name == "Blue Dragon"
