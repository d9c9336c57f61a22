"""Database outage: a friendly 503 page, never a traceback; nothing half-saved; recovery without a restart."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import translation

from partners.models import Partner, PartnerSource
from tests.admin.helpers import admin_url, article, form_data, partner
from tests.faults.servers import HAVE_PG_BINARIES, SKIP_REASON, Browser, Gunicorn, PrivatePostgres, manage, site_env

#: The 503 page's heading in English and in Vietnamese.
HEADINGS = ("The portal is briefly unavailable", "Cổng thông tin tạm thời gián đoạn")


def is_friendly_503(answer_status, headers, body) -> bool:
    return answer_status == 503 and headers.get("retry-after", "").isdigit() and "Traceback" not in body and any(h in body for h in HEADINGS)


# -- in-process: the middleware and the handler ------------------------------------------------------
@pytest.mark.django_db
def test_a_lost_database_in_a_view_answers_the_friendly_503_page(client):
    with mock.patch("cantho.public_views.HomeView.get", side_effect=OperationalError("connection refused")):
        response = client.get("/en/")
    body = response.content.decode()
    assert is_friendly_503(response.status_code, {k.lower(): v for k, v in response.items()}, body)
    assert response["Cache-Control"] == "no-store"
    assert "NOT saved" not in body  # a read: nothing to save


@pytest.mark.django_db
def test_a_lost_database_outside_the_view_answers_503_too():
    """An error in a middleware (here the session) reaches handler500, which answers 503 for a lost database."""
    client = Client(raise_request_exception=False)
    with mock.patch("django.contrib.sessions.middleware.SessionMiddleware.process_request", side_effect=OperationalError("gone")):
        response = client.get("/en/partners/")
    assert is_friendly_503(response.status_code, {k.lower(): v for k, v in response.items()}, response.content.decode())


@pytest.mark.django_db
def test_other_errors_stay_500():
    client = Client(raise_request_exception=False)
    with mock.patch("cantho.public_views.HomeView.get", side_effect=ValueError("bug")):
        response = client.get("/en/")
    assert response.status_code == 500


@pytest.mark.django_db
def test_an_admin_save_cut_off_half_way_writes_nothing_and_says_so(publisher):
    """The database goes away after the record's row is written but before its revision and source links: all rolled back."""
    record = partner(name="Sán Đầu", region="Quảng Đông")
    source = article()
    client = Client(raise_request_exception=False)
    client.force_login(publisher)
    with translation.override("en"):
        url = admin_url(Partner, "change", record.pk)
    data = form_data(client.get(url))
    data.update({"name": "Thành phố Sán Đầu", "source_links-TOTAL_FORMS": "1", "source_links-0-article": source.pk, "source_links-0-quote": "Câu nguồn."})
    revisions = Partner.history.filter(id=record.pk).count()

    with mock.patch("simple_history.models.HistoricalRecords.create_historical_record", side_effect=OperationalError("server closed the connection")):
        response = client.post(url, data)
    body = response.content.decode()
    assert is_friendly_503(response.status_code, {k.lower(): v for k, v in response.items()}, body)
    assert "Your change was NOT saved." in body
    stored = Partner.objects.get(pk=record.pk)
    assert (stored.name, stored.version) == ("Sán Đầu", record.version)
    assert not PartnerSource.objects.filter(partner=record).exists()
    assert Partner.history.filter(id=record.pk).count() == revisions

    # Submitted again once the database is back, the same form saves (its version is still current).
    assert client.post(url, data).status_code == 302
    stored = Partner.objects.get(pk=record.pk)
    assert stored.name == "Thành phố Sán Đầu" and PartnerSource.objects.filter(partner=record).count() == 1


# -- a real outage: a private PostgreSQL stopped under a running gunicorn -------------------------------
@pytest.fixture
def private_postgres():
    if not HAVE_PG_BINARIES:
        pytest.skip(SKIP_REASON)
    server = PrivatePostgres()
    try:
        server.start()
        server.sql("postgres", "CREATE DATABASE site")
        yield server
    finally:
        server.close()


def _wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.25)
    return predicate()


def test_site_answers_503_while_postgres_is_down_and_recovers_by_itself(private_postgres):
    env = site_env(private_postgres.url("site"))
    manage("migrate", "--noinput", env=env)
    manage("import_seeds", env=env)
    manage("createsuperuser", "--noinput", "--username", "chief", "--email", "chief@example.org", env={**env, "DJANGO_SUPERUSER_PASSWORD": "x-Outage-2026"})
    site = Gunicorn(env)
    try:
        staff = Browser(site.port)
        staff.log_in("chief", "x-Outage-2026")
        add_form = staff.get("/en/admin/cantho/field/add/")
        assert add_form.status == 200
        token = Browser.csrf_token(add_form.body)
        visitor = Browser(site.port)
        pages = ["/", "/en/", "/en/partners/", "/news/", "/en/events/", "/en/search/?q=nhat+ban"]
        for path in pages:
            assert visitor.get(path).status == 200, path

        private_postgres.stop("immediate")  # the database crashes under the running site
        for path in pages:
            answer = visitor.get(path)
            assert is_friendly_503(answer.status, answer.headers, answer.body), (path, answer.status, answer.body[:500])
        assert visitor.get("/healthz").status == 200  # the load balancer's check does not touch the database
        # A staff member's save during the outage: told it was not saved.
        form = {"csrfmiddlewaretoken": token, "name": "Kinh tế số", "name_en": "Digital economy", "slug": "kinh-te-so"}
        refused = staff.post("/en/admin/cantho/field/add/", form)
        assert is_friendly_503(refused.status, refused.headers, refused.body)
        assert "Your change was NOT saved." in refused.body

        private_postgres.start()  # the database returns; the site reconnects by itself
        back = _wait_for(lambda: visitor.get("/en/partners/").status == 200, 20)
        assert back, "the site did not recover within 20 s of the database's return"
        for path in pages:
            assert visitor.get(path).status == 200, path
        assert private_postgres.sql("site", "SELECT count(*) FROM cantho_field WHERE slug = 'kinh-te-so'") == "0"
        saved = staff.post("/en/admin/cantho/field/add/", form)
        assert saved.status == 302, saved.body[:500]
        assert private_postgres.sql("site", "SELECT count(*) FROM cantho_field WHERE slug = 'kinh-te-so'") == "1"
    finally:
        site.close()
