"""Concurrent writes: 8 staff sessions at once, each with its own PostgreSQL connection, through the real code paths.

Every thread edits the same record (read, change, locked save; refused → read again and redo),
its own record, and moves a shared record between published and draft. Nothing may be lost,
every count and revision must add up, and everything ends in bounded time (no deadlock).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections

from cantho.editing import EditConflict, record_save_with_lock
from cantho.models import Status
from cantho.publishing import PUBLISH, UNPUBLISH, TransitionRefused
from partners.models import Partner
from tests.admin.conftest import role_group
from tests.admin.helpers import partner

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent sessions need PostgreSQL's row locks (set DATABASE_URL); SQLite serialises writers"
)

SESSIONS = 8
ROUNDS = 6


@pytest.mark.django_db(transaction=True)
def test_eight_staff_sessions_edit_and_publish_at_once_and_nothing_is_lost():
    publishers = []
    for n in range(SESSIONS):
        user = User.objects.create_user(f"staff{n}", password="not-used", is_staff=True)
        user.groups.add(role_group("Publisher"))
        publishers.append(user)
    shared = partner(name="Hồ sơ chung", aliases="", status=Status.DRAFT)
    toggled = partner(name="Bật tắt xuất bản", status=Status.DRAFT)
    own = [partner(name=f"Hồ sơ riêng {n}", description="", status=Status.DRAFT) for n in range(SESSIONS)]
    start = threading.Barrier(SESSIONS)
    outcome: dict[int, dict] = {}

    def session(n: int):
        user = User.objects.get(pk=publishers[n].pk)
        tally = {"saved": 0, "refused": 0, "moves": 0, "move_refused": 0, "errors": []}
        try:
            start.wait(20)
            for k in range(ROUNDS):
                # 1. The same record as everyone else: optimistic locking, redo on refusal.
                for _attempt in range(200):
                    copy = Partner.objects.get(pk=shared.pk)
                    copy.aliases = "\n".join(filter(None, [copy.aliases, f"s{n}-r{k}"]))
                    try:
                        record_save_with_lock(record=copy, expected_version=copy.version, user=user)
                        tally["saved"] += 1
                        break
                    except EditConflict:
                        tally["refused"] += 1
                else:
                    tally["errors"].append("gave up after 200 refusals")
                # 2. Their own record: never refused.
                mine = Partner.objects.get(pk=own[n].pk)
                mine.description = f"{mine.description} r{k}".strip()
                record_save_with_lock(record=mine, expected_version=mine.version, user=user)
                # 3. Publish or unpublish the shared toggle: exactly one of two simultaneous equal moves passes.
                move = PUBLISH if (n + k) % 2 == 0 else UNPUBLISH
                try:
                    move.execute(user=user, record=Partner.objects.get(pk=toggled.pk))
                    tally["moves"] += 1
                except TransitionRefused:
                    tally["move_refused"] += 1
        except Exception as error:  # noqa: BLE001 - reported by the test below
            tally["errors"].append(repr(error))
        finally:
            outcome[n] = tally
            connections.close_all()

    threads = [threading.Thread(target=session, args=(n,), daemon=True) for n in range(SESSIONS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1, 90 - (time.monotonic() - began)))
    assert not any(thread.is_alive() for thread in threads), "a session is still waiting: deadlock or a lock never released"
    assert all(not tally["errors"] for tally in outcome.values()), outcome

    # No lost update: every session's every change to the shared record is in it, exactly once.
    stored = Partner.objects.get(pk=shared.pk)
    marks = stored.aliases.split("\n")
    assert sorted(marks) == sorted(f"s{n}-r{k}" for n in range(SESSIONS) for k in range(ROUNDS))
    saves = sum(t["saved"] for t in outcome.values())
    assert saves == SESSIONS * ROUNDS
    assert stored.version == 1 + saves
    assert Partner.history.filter(id=shared.pk).count() == 1 + saves  # one revision per save, none for a refusal
    assert sum(t["refused"] for t in outcome.values()) > 0, "no save was refused: the sessions did not really overlap"

    for record in own:
        mine = Partner.objects.get(pk=record.pk)
        assert mine.description == " ".join(f"r{k}" for k in range(ROUNDS))
        assert mine.version == 1 + ROUNDS and Partner.history.filter(id=record.pk).count() == 1 + ROUNDS

    # The toggle: every successful move is one revision, and the states alternate in the history.
    moves = sum(t["moves"] for t in outcome.values())
    assert moves >= 1 and moves + sum(t["move_refused"] for t in outcome.values()) == SESSIONS * ROUNDS
    states = list(Partner.history.filter(id=toggled.pk).order_by("history_id").values_list("status", flat=True))
    assert len(states) == 1 + moves
    assert all(a != b for a, b in zip(states, states[1:], strict=False)), states
    final = Partner.objects.get(pk=toggled.pk)
    assert final.status == states[-1] and final.version == 1 + moves
    assert Partner.objects.count() == 2 + SESSIONS


@pytest.mark.django_db(transaction=True)
def test_eight_admin_saves_of_one_loaded_form_exactly_one_passes_the_rest_are_refused():
    """Eight staff members open the same change form, then all press Save at once: one wins, seven see the conflict."""
    from django.test import Client
    from django.utils import translation

    from tests.admin.helpers import admin_url, form_data

    record = partner(name="Thành phố Hamamatsu", description="")
    clients, forms = [], []
    with translation.override("en"):
        url = admin_url(Partner, "change", record.pk)
    for n in range(SESSIONS):
        user = User.objects.create_user(f"editor{n}", password="not-used", is_staff=True)
        user.groups.add(role_group("Editor"))
        client = Client()
        client.force_login(user)
        data = form_data(client.get(url))
        data["description"] = f"Bản của biên tập viên {n}"
        clients.append(client)
        forms.append(data)
    start = threading.Barrier(SESSIONS)
    answers: dict[int, object] = {}

    def save(n: int):
        try:
            start.wait(20)
            answers[n] = clients[n].post(url, forms[n])
        except Exception as error:  # noqa: BLE001 - reported below
            answers[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,), daemon=True) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a save is still waiting: deadlock"
    statuses = sorted(getattr(answer, "status_code", repr(answer)) for answer in answers.values())
    assert statuses == [200] * (SESSIONS - 1) + [302], statuses
    winner = next(n for n, answer in answers.items() if answer.status_code == 302)
    for n, answer in answers.items():
        if n != winner:
            assert "errornote" in answer.content.decode() and answer.context["adminform"].form.non_field_errors()
            assert f"Bản của biên tập viên {n}" in answer.content.decode()  # their input is kept on the form
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.description, stored.version) == (f"Bản của biên tập viên {winner}", record.version + 1)
    assert Partner.history.filter(id=record.pk).count() == 2
