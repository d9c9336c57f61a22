"""Admin login throttling (django-axes): five failures for one user name from one address lock it out for a while."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.test import Client
from django.utils import timezone

PASSWORD = "the-right-password-42"
LOGIN = "/en/admin/login/?next=/en/admin/"


@pytest.fixture
def staff(db, django_user_model):
    django_user_model.objects.create_user("linh", password=PASSWORD, is_staff=True, is_superuser=True)
    return django_user_model.objects.create_user("minh", password=PASSWORD, is_staff=True, is_superuser=True)


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def fail_five_times(client, username="minh", ip="10.0.0.1", **extra):
    for _ in range(4):
        response = attempt(client, username, "wrong", ip, **extra)
        assert response.status_code == 200  # the login form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()
    return attempt(client, username, "wrong", ip, **extra)


def test_five_failures_lock_the_user_name_with_a_clear_message(staff, settings):
    client = Client()
    locked = fail_five_times(client)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed logins" in text
    assert f"Try again in {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutes" in text

    # the right password is refused now, with the same message, and no session is opened
    refused = attempt(client, "minh", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/en/admin/").status_code == 302


def test_another_user_name_or_another_address_is_not_locked(staff):
    fail_five_times(Client())
    other_user = Client()
    response = attempt(other_user, "linh", PASSWORD, "10.0.0.1")
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    other_address = Client()
    response = attempt(other_address, "minh", PASSWORD, "10.0.0.2")
    assert response.status_code == 302 and response["Location"] == "/en/admin/"


def test_the_lock_expires_after_the_cool_off_time(staff, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert fail_five_times(Client()).status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=30), tick=False):
        assert attempt(Client(), "minh", PASSWORD).status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=30), tick=False):
        response = attempt(Client(), "minh", PASSWORD)
        assert response.status_code == 302 and response["Location"] == "/en/admin/"


def test_a_successful_login_resets_the_count(staff):
    client = Client()
    for _ in range(4):
        attempt(client, "minh", "wrong")
    assert attempt(client, "minh", PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt(Client(), "minh", "wrong").status_code == 200


def test_logins_and_failures_are_logged_with_user_name_and_address(staff, caplog):
    with caplog.at_level(logging.INFO, logger="cantho.security"):
        fail_five_times(Client(), ip="10.0.0.7")
        attempt(Client(), "linh", PASSWORD, "10.0.0.8")
    messages = [r.getMessage() for r in caplog.records if r.name == "cantho.security"]
    assert messages.count("login failed: username='minh' ip=10.0.0.7") == 5
    assert "login locked out: username='minh' ip=10.0.0.7" in messages
    assert "login succeeded: username='linh' ip=10.0.0.8" in messages
    assert not any(PASSWORD in m or "wrong" in m for m in messages)
    # and in the database, for the admin's "Access attempts" / "Access logs"
    assert AccessAttempt.objects.get(username="minh", ip_address="10.0.0.7").failures_since_start >= 5
    assert AccessLog.objects.filter(username="linh", ip_address="10.0.0.8").exists()


def test_the_lockout_page_is_translated(staff):
    for _ in range(5):
        Client().post("/admin/login/", {"username": "minh", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = Client().post("/admin/login/", {"username": "minh", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert '<html lang="vi"' in response.content.decode()


def test_behind_the_proxy_the_address_our_proxy_saw_counts(staff, settings):
    settings.BEHIND_PROXY = True
    # the proxy is 127.0.0.1; the client claims another address in the header, the proxy appends the real one
    fail_five_times(Client(), ip="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert attempt(Client(), "minh", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # forging the left part of the header does not get round the lock
    assert attempt(Client(), "minh", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5").status_code == 429
    # another client behind the same proxy is not locked
    assert attempt(Client(), "minh", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_without_the_proxy_setting_the_header_is_ignored(staff, settings):
    settings.BEHIND_PROXY = False
    fail_five_times(Client(), ip="10.0.0.3", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert attempt(Client(), "minh", PASSWORD, "10.0.0.3", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
